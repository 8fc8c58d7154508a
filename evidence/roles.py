"""The evidence app's permissions per role, registered with the hub from EvidenceConfig.ready()."""

from cases.roles import Role

ROLE_PERMISSIONS = {
    Role.SOCIAL_WORKER: ["evidence.manage_evidence"],
    Role.SUPERVISOR: ["evidence.manage_evidence"],
    Role.ADMIN: [
        # The platform table (8-1-3D) and the teaching checklists, with history; no delete.
        "evidence.add_platform",
        "evidence.change_platform",
        "evidence.view_platform",
        "evidence.view_historicalplatform",
        "evidence.add_checklistitem",
        "evidence.change_checklistitem",
        "evidence.view_checklistitem",
        "evidence.view_historicalchecklistitem",
    ],
}
