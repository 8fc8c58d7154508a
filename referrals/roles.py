"""The referrals app's permissions per role, registered with the hub from ReferralsConfig.ready()."""

from cases.roles import Role

ROLE_PERMISSIONS = {
    # The hotline types in paper or e-mailed referral forms; police submit their own.
    Role.HOTLINE: ["referrals.add_referral", "referrals.view_referral"],
    Role.POLICE: ["referrals.add_referral", "referrals.view_referral", "referrals.submit_as_referrer"],
    Role.SUPERVISOR: ["referrals.view_referral"],
}
