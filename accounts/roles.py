"""The accounts app's permissions per role, registered with the hub from AccountsConfig.ready()."""

from cases.roles import Role

ROLE_PERMISSIONS = {
    # Supervisors are the second person: they approve account changes and lift lockouts.
    Role.SUPERVISOR: ["accounts.approve_account_change", "accounts.unlock_signin"],
    # Administrators see their requests and the decisions in the admin site (read-only).
    Role.ADMIN: ["accounts.view_accountchangerequest"],
}
