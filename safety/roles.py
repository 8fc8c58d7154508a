"""The safety app's permissions per role, registered with the hub from SafetyConfig.ready().

The assigned worker and supervisors record the case's safety side (the selectors scope it to them);
supervisors alone approve a shelter placement. Everyone who hands the reminder sheet over can print
it. Administrators edit the sheet's text and the city's shelter schemes (catalogues with history) and
see no case content. Police see nothing of a victim's safety arrangements.
"""

from cases.roles import Role

ROLE_PERMISSIONS = {
    Role.HOTLINE: ["safety.view_safetysheet"],
    Role.SOCIAL_WORKER: ["safety.manage_safety", "safety.view_safetysheet"],
    Role.SUPERVISOR: ["safety.manage_safety", "safety.approve_shelter", "safety.view_safetysheet"],
    Role.ADMIN: [
        "safety.add_safetysheet",
        "safety.change_safetysheet",
        "safety.view_safetysheet",
        "safety.view_historicalsafetysheet",
        "safety.add_shelterscheme",
        "safety.change_shelterscheme",
        "safety.view_shelterscheme",
        "safety.view_historicalshelterscheme",
    ],
}
