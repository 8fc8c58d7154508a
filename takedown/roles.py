"""The takedown app's permissions per role, registered with the hub from TakedownConfig.ready()."""

from cases.roles import Role

ROLE_PERMISSIONS = {
    Role.SOCIAL_WORKER: ["takedown.manage_takedown"],
    Role.SUPERVISOR: ["takedown.manage_takedown", "takedown.view_takedown_overview"],
    Role.ADMIN: [
        # The resources page, StopNCII partners and privacy settings, with history; no delete.
        "takedown.add_resourcelink",
        "takedown.change_resourcelink",
        "takedown.view_resourcelink",
        "takedown.view_historicalresourcelink",
        "takedown.add_stopnciipartner",
        "takedown.change_stopnciipartner",
        "takedown.view_stopnciipartner",
        "takedown.view_historicalstopnciipartner",
        "takedown.add_privacysettingitem",
        "takedown.change_privacysettingitem",
        "takedown.view_privacysettingitem",
        "takedown.view_historicalprivacysettingitem",
    ],
}
