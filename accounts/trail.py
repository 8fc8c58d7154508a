"""Sign-in events on the audit trail (cases.audit): approvals, lockouts, unlocks, two-factor changes.

One call site, so the codes and their labels stay in one place. Never a password, a code or a secret in
`detail`. (Sign-ins, sign-outs and failed sign-ins are recorded by cases.audit itself.)
"""

from __future__ import annotations

from cases.audit import record_event, register_action

ACTIONS = {
    "account_change_requested": "申請帳號變更（待核准）",
    "account_change_approved": "核准帳號變更",
    "account_change_rejected": "退回帳號變更",
    "signin_locked_out": "登入鎖定",
    "signin_unlocked": "解除登入鎖定",
    "two_factor_enrolled": "設定雙因素驗證",
    "two_factor_reset": "重設雙因素驗證",
    "recovery_codes_issued": "產生復原碼",
    "passkey_enrolled": "新增通行金鑰",
    "passkey_used": "以通行金鑰完成登入驗證",
    "passkey_removed": "移除通行金鑰",
    "sessions_ended": "結束登入工作階段",
}


def register_actions() -> None:
    for code, label in ACTIONS.items():
        register_action(code, label)


def record(
    action: str, *, actor=None, target=None, username: str = "", detail: str = "", request=None
) -> None:
    assert action in ACTIONS, action
    record_event(
        actor=actor,
        action=action,
        target_user=target,
        username=username or (target.get_username() if target is not None else ""),
        detail=detail,
        request=request,
    )
