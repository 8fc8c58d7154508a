"""Adapter for a Mitake-style Taiwan SMS gateway (三竹 SmSend over HTTP).

Request: a form-encoded POST with username, password, dstaddr, smbody and clientid (our idempotency
key, so the gateway can recognise a repeat) and, when configured, `response`: the URL that receives
delivery reports.

Answer: always HTTP 200, with the result in an INI-like body, e.g.

    [1]
    msgid=1010079522
    statuscode=1
    AccountPoint=98

so the status code in the body decides, never the HTTP status. What we do with each answer:

| answer | outcome |
| --- | --- |
| statuscode 0-4, or Duplicate=Y (the gateway already has this clientid) | accepted |
| statuscode *, a, b, l, r (system busy or paused) | retry later |
| statuscode 5-9 or another letter (bad text or number, account problems) | failed: a person looks |
| connection refused, DNS failure, connect timeout (nothing reached the gateway) | retry later |
| HTTP 429 or 503 (turned away before processing) | retry later |
| HTTP 400, 401, 403, 404 | failed (configuration) |
| read timeout, dropped connection, another HTTP error, a body without a status code | unknown |

"Unknown" means the gateway may have taken the message. The outbox never resends those by itself
(docs/sms.md, "never twice").
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings

from cases.identifiers import mask_phone
from cases.sms.message import Outcome, Outgoing, SendResult

logger = logging.getLogger("cases.sms")

ACCEPTED_CODES = {"0", "1", "2", "3", "4"}
RETRY_CODES = {"*", "a", "b", "l", "r"}
# Meanings from the gateway's documentation, shown to staff when a message fails.
CODE_MEANINGS = {
    "0": "預約傳送中",
    "1": "已送達業者",
    "2": "已送達業者",
    "3": "已送達業者",
    "4": "已送達手機",
    "5": "內容有錯誤",
    "6": "門號有錯誤",
    "7": "簡訊已停用",
    "8": "逾時無送達",
    "9": "預約已取消",
    "*": "簡訊系統發生錯誤",
    "a": "簡訊發送功能暫時停止服務",
    "b": "簡訊發送功能暫時停止服務",
    "c": "未輸入帳號",
    "d": "未輸入密碼",
    "e": "帳號、密碼錯誤",
    "f": "帳號已過期",
    "h": "帳號已被停用",
    "k": "無效的連線位址",
    "l": "帳號已達到同時連線數上限",
    "m": "必須變更密碼",
    "n": "密碼已逾期",
    "p": "沒有權限使用外部 HTTP 程式",
    "r": "系統暫停服務",
    "s": "帳務處理失敗",
    "t": "簡訊已過期",
    "u": "簡訊內容不得為空白",
    "v": "無效的手機號碼",
    "x": "發送檔案過大",
    "y": "參數錯誤",
}
RETRY_HTTP = {429, 503}
FAILED_HTTP = {400, 401, 403, 404}


def parse_reply(body: str) -> dict[str, str]:
    """key=value lines of the first [n] section (or of the whole body when it has none), keys lower-cased."""
    fields: dict[str, str] = {}
    sections = 0
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            sections += 1
            if sections > 1:
                break
            continue
        key, sep, value = line.partition("=")
        if sep and key.strip():
            fields.setdefault(key.strip().lower(), value.strip())
    return fields


def classify(fields: dict[str, str]) -> SendResult:
    """The outcome of a parsed 200 answer."""
    code = fields.get("statuscode", "")
    msgid = fields.get("msgid", "")
    meaning = CODE_MEANINGS.get(code, "")
    if fields.get("duplicate", "").upper() == "Y":
        return SendResult(Outcome.ACCEPTED, msgid, code, "閘道已收過此訊息編號，未重複發送")
    if not code:
        return SendResult(Outcome.UNKNOWN, msgid, "", "閘道回覆無法辨識（無 statuscode）")
    if code in ACCEPTED_CODES:
        return SendResult(Outcome.ACCEPTED, msgid, code, meaning)
    if code in RETRY_CODES:
        return SendResult(Outcome.RETRY, msgid, code, meaning)
    if code in CODE_MEANINGS:
        return SendResult(Outcome.FAILED, msgid, code, meaning)
    return SendResult(Outcome.UNKNOWN, msgid, code, f"閘道回覆未知的狀態碼 {code}")


@dataclass
class MitakeBackend:
    url: str
    username: str
    password: str
    timeout: float = 10.0
    callback_url: str = ""

    name = "mitake"

    @classmethod
    def from_settings(cls) -> MitakeBackend:
        # The report URL carries no secret: the reverse proxy in front of the app adds the header for
        # the gateway's addresses (docs/sms.md), so the secret never appears in an access log.
        callback = settings.SMS_CALLBACK_URL
        return cls(
            url=settings.SMS_GATEWAY_URL,
            username=settings.SMS_GATEWAY_USERNAME,
            password=settings.SMS_GATEWAY_PASSWORD,
            timeout=settings.SMS_GATEWAY_TIMEOUT,
            callback_url=callback,
        )

    def send(self, message: Outgoing) -> SendResult:
        with self.batch() as post:
            return post(message)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Callable[[Outgoing], SendResult]]:
        """A sender for several messages over one keep-alive HTTP connection, opened for the batch and
        closed after it: a connection left idle between batches may have been closed by the gateway,
        and a post on it would end uncertain."""
        opened: list[http.client.HTTPConnection] = []

        def post(message: Outgoing) -> SendResult:
            if not opened:  # opened at the first post, so a bad URL fails that send, not the batch
                opened.append(self._connection())
            return self._logged(message, self._post(opened[0], message))

        try:
            yield post
        finally:
            for connection in opened:
                connection.close()

    def _logged(self, message: Outgoing, result: SendResult) -> SendResult:
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "sms gateway: client_id=%s to=%s outcome=%s code=%s msgid=%s",
                message.client_id,
                mask_phone(message.to),
                result.outcome,
                result.code or "-",
                result.provider_id or "-",
            )
        return result

    def _connection(self) -> http.client.HTTPConnection:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("SMS_GATEWAY_URL is not an http(s) URL")
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=self.timeout)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)

    def _post(self, connection: http.client.HTTPConnection, message: Outgoing) -> SendResult:
        form = {
            "username": self.username,
            "password": self.password,
            "dstaddr": message.to,
            "smbody": message.body,
            "clientid": message.client_id,
        }
        if self.callback_url:
            form["response"] = self.callback_url
        parts = urllib.parse.urlsplit(self.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            if connection.sock is None:  # connect here, not inside request(): a failure is a retry
                connection.connect()
            connection.request(
                "POST",
                path,
                body=urllib.parse.urlencode(form, encoding="utf-8").encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            )
        except (OSError, http.client.HTTPException) as exc:
            # Raised while connecting or sending the request: the gateway never had the whole message.
            connection.close()
            return SendResult(Outcome.RETRY, code="connect", reason=f"無法連線到簡訊閘道（{_name(exc)}）")
        try:
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            # The request went out; the answer did not come back whole.
            connection.close()
            return SendResult(Outcome.UNKNOWN, code="no-answer", reason=f"閘道沒有完整回覆（{_name(exc)}）")
        if response.will_close:
            connection.close()
        if not 200 <= response.status < 300:
            if response.status in RETRY_HTTP:
                return SendResult(
                    Outcome.RETRY, code=f"HTTP {response.status}", reason="閘道暫時拒絕，稍後重試"
                )
            if response.status in FAILED_HTTP:
                return SendResult(
                    Outcome.FAILED, code=f"HTTP {response.status}", reason="閘道拒絕請求（設定錯誤）"
                )
            return SendResult(
                Outcome.UNKNOWN, code=f"HTTP {response.status}", reason="閘道回應錯誤，無法確定是否已送出"
            )
        return classify(parse_reply(body))


def _name(exc) -> str:
    """An exception's class name only: its message could quote the request."""
    return type(exc).__name__ if isinstance(exc, BaseException) else "error"
