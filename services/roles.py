"""The services app's permissions per role, registered with the hub from ServicesConfig.ready().

Screenings, counselling and escorts are seen and written by the assigned worker and supervisors only;
police and the hotline never. Supervisors and administrators edit the catalogues in the admin.
"""

from cases.roles import Role

_CATALOGUES = [
    "services.add_escortchecklist",
    "services.change_escortchecklist",
    "services.view_escortchecklist",
    "services.view_historicalescortchecklist",
    "services.add_counsellingprogramme",
    "services.change_counsellingprogramme",
    "services.view_counsellingprogramme",
    "services.view_historicalcounsellingprogramme",
    "services.add_ptsdinstrument",
    "services.change_ptsdinstrument",
    "services.view_ptsdinstrument",
    "services.view_historicalptsdinstrument",
]

ROLE_PERMISSIONS = {
    Role.SOCIAL_WORKER: ["services.manage_services"],
    Role.SUPERVISOR: ["services.manage_services", *_CATALOGUES],
    Role.ADMIN: list(_CATALOGUES),
}
