"""The legal app's permissions per role, registered with the hub from LegalConfig.ready()."""

from cases.roles import Role

ROLE_PERMISSIONS = {
    Role.SOCIAL_WORKER: ["legal.manage_legal"],
    Role.POLICE: ["legal.record_prosecutor_direction"],
    Role.SUPERVISOR: ["legal.manage_legal", "legal.view_accusation_queue"],
    Role.ADMIN: [
        # Offence catalogue (no delete: cases point at it) and the rest-day calendar, with history.
        "legal.add_offence",
        "legal.change_offence",
        "legal.view_offence",
        "legal.view_historicaloffence",
        "legal.add_restday",
        "legal.change_restday",
        "legal.delete_restday",
        "legal.view_restday",
        "legal.view_historicalrestday",
    ],
}
