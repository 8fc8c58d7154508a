// Passkeys (WebAuthn): the browser half of accounts/passkey_views.py. No inline script (CSP): each
// button names its endpoint in data-passkey-url and its status line in data-passkey-status; the page's
// csrf_token input gives the token. One endpoint per ceremony: an empty POST answers the options, a
// POST with the credential completes it and answers where to go next.
(function () {
  "use strict";

  function decode(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function encode(buffer) {
    let text = "";
    for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map((item) => ({ ...item, id: decode(item.id) }));
  }

  function creationOptions(options) {
    return {
      ...options,
      challenge: decode(options.challenge),
      user: { ...options.user, id: decode(options.user.id) },
      excludeCredentials: descriptors(options.excludeCredentials),
    };
  }

  function requestOptions(options) {
    return { ...options, challenge: decode(options.challenge), allowCredentials: descriptors(options.allowCredentials) };
  }

  function asJSON(credential) {
    const r = credential.response;
    const response = { clientDataJSON: encode(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = encode(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = encode(r.authenticatorData);
      response.signature = encode(r.signature);
      if (r.userHandle) response.userHandle = encode(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment,
    };
  }

  async function post(url, body) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null; // django-axes answers a lockout with the sign-in page, not JSON
    }
    return { status: response.status, data: data };
  }

  function browserMessage(error) {
    if (error.name === "NotAllowedError") return "已取消，或裝置未回應。可再試一次。";
    if (error.name === "InvalidStateError") return "這個裝置已經有本系統的通行金鑰。";
    if (error.name === "SecurityError") return "這個網址不能使用通行金鑰，請洽系統管理員（WEBAUTHN_RP_ID）。";
    return "通行金鑰未能完成，請再試一次，或改用其他方式。";
  }

  async function run(button) {
    const status = document.getElementById(button.dataset.passkeyStatus);
    const say = (text, kind) => {
      status.textContent = text;
      status.className = "alert mt-2 mb-0 alert-" + kind;
      status.hidden = false;
    };
    const url = button.dataset.passkeyUrl;
    button.disabled = true;
    say("請依瀏覽器或裝置的指示操作…", "info");
    try {
      const begin = await post(url, {});
      if (!begin.data || !begin.data.options) throw { server: begin };
      const credential =
        button.dataset.passkey === "create"
          ? await navigator.credentials.create({ publicKey: creationOptions(begin.data.options) })
          : await navigator.credentials.get({ publicKey: requestOptions(begin.data.options) });
      const nameInput = button.dataset.passkeyName && document.getElementById(button.dataset.passkeyName);
      const done = await post(url, { credential: asJSON(credential), name: nameInput ? nameInput.value : "" });
      if (done.status !== 200 || !done.data || !done.data.redirect) throw { server: done };
      say("完成，正在前往下一頁…", "success");
      window.location.assign(done.data.redirect);
      return;
    } catch (error) {
      const answer = error.server;
      if (answer && answer.status === 429) {
        say(button.dataset.passkeyLocked || "登入失敗次數過多，請稍後再試。", "danger");
        return; // locked: the button stays disabled
      }
      if (answer && answer.data && answer.data.redirect) {
        window.location.assign(answer.data.redirect);
        return;
      }
      say(answer ? (answer.data && answer.data.detail) || "伺服器未能處理，請再試一次。" : browserMessage(error), "danger");
    }
    button.disabled = false;
  }

  for (const button of document.querySelectorAll("[data-passkey]")) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      const note = button.parentElement.querySelector("[data-passkey-unsupported]");
      if (note) note.hidden = false;
      continue;
    }
    button.hidden = false;
    button.addEventListener("click", () => run(button));
  }
})();
