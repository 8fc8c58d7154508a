// Forms never lose work (issue 18). No storage in the browser: drafts are kept on the server.
// 1. A submitted form's buttons are disabled (「送出中…」), so a double click posts once; the server's
//    one-time token ({% form_guard %}) refuses a duplicate anyway.
// 2. Textareas with a maxlength show 「123／4000 字」; screen readers hear it only near the limit.
// 3. A draft restored after signing in again (#form-draft, JSON) is filled back into its form by name.
// 4. Before the idle sign-out a dialog warns and offers 繼續工作. The timer asks the server how long is
//    left (that request is not activity); only 繼續工作 or a real request extends the session.
(function () {
  "use strict";

  var SENDING = "送出中…";

  function isPostForm(form) {
    return form && (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  // --- 1. one submission per form -------------------------------------------------------------------
  // Bubbling listener on document: it runs after the form's own handlers, and the submit event never
  // fires when the browser blocks the submission for invalid fields.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isPostForm(form) || event.defaultPrevented) {
      return;
    }
    if (form.dataset.submitting === "1") {
      event.preventDefault(); // Enter pressed again, or a click that beat the disabling
      return;
    }
    form.dataset.submitting = "1";
    var submitter = event.submitter;
    // Disabled after this event: a disabled submitter would drop its name=value from the post.
    window.setTimeout(function () {
      var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
      buttons.forEach(function (button) {
        button.disabled = true;
      });
      if (submitter) {
        if (submitter.tagName === "INPUT") {
          submitter.dataset.label = submitter.value;
          submitter.value = SENDING;
        } else {
          submitter.dataset.label = submitter.textContent;
          submitter.textContent = SENDING;
        }
      }
      form.setAttribute("aria-busy", "true");
    }, 0);
  });

  function enableForms() {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        if (button.dataset.label !== undefined) {
          if (button.tagName === "INPUT") {
            button.value = button.dataset.label;
          } else {
            button.textContent = button.dataset.label;
          }
          delete button.dataset.label;
        }
        button.disabled = false;
      });
    });
  }
  // Back to a page kept in the back/forward cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      enableForms();
    }
  });

  // A form with typed content: the idle sign-out does not reload such a page.
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (isPostForm(form)) {
      form.dataset.dirty = "1";
    }
  });

  // --- 2. character counters -------------------------------------------------------------------------
  var counterId = 0;

  function setUpCounter(textarea) {
    var limit = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!limit || textarea.dataset.counter) {
      return;
    }
    counterId += 1;
    var id = "char-counter-" + counterId;
    textarea.dataset.counter = id;
    var shown = document.createElement("div");
    shown.className = "form-text text-end char-counter";
    shown.id = id;
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (described ? described + " " : "") + id);
    textarea.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);
    var lastStep = 0;

    function update() {
      var length = textarea.value.length;
      shown.textContent = length + "／" + limit + " 字";
      shown.classList.toggle("text-danger", length >= limit);
      // Spoken only when crossing 90% and the limit, not on every keystroke.
      var step = length >= limit ? 2 : length >= limit * 0.9 ? 1 : 0;
      if (step !== lastStep) {
        lastStep = step;
        if (step === 2) {
          spoken.textContent = "已達 " + limit + " 字上限";
        } else if (step === 1) {
          spoken.textContent = "已輸入 " + length + " 字，上限 " + limit + " 字";
        } else {
          spoken.textContent = "";
        }
      }
    }

    textarea.addEventListener("input", update);
    update();
  }

  // --- 3. a draft kept across an expired session --------------------------------------------------
  function restoreDraft() {
    var data = document.getElementById("form-draft");
    if (!data) {
      return;
    }
    var draft = JSON.parse(data.textContent);
    var forms = Array.prototype.filter.call(document.forms, function (form) {
      return isPostForm(form) && new URL(form.action, window.location.href).pathname === draft.action;
    });
    var form = forms[0];
    if (!form) {
      return;
    }
    var values = {};
    draft.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    var used = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || !(name in values) || element.type === "file" || element.type === "password") {
        return;
      }
      if (element.type === "submit" || element.type === "button" || name === "form_guard") {
        return;
      }
      var list = values[name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = list.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = list.indexOf(option.value) !== -1;
        });
      } else {
        var index = used[name] || 0;
        if (index < list.length) {
          element.value = list[index];
        }
        used[name] = index + 1;
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.dataset.dirty = "1";
  }

  // --- 4. idle warning ---------------------------------------------------------------------------------
  function setUpIdleWarning() {
    var dialog = document.getElementById("idle-warning");
    if (!dialog || typeof dialog.showModal !== "function") {
      return;
    }
    var warning = parseInt(dialog.dataset.warning, 10);
    var minutes = dialog.querySelector("[data-idle-minutes]");
    var expiredNote = document.querySelector("[data-idle-expired]");
    var button = dialog.querySelector("[data-idle-continue]");
    var timer = null;
    var returnFocus = null;
    var expiresAt = 0;

    function schedule(remaining) {
      window.clearTimeout(timer);
      expiresAt = Date.now() + remaining * 1000;
      var wait = Math.max(0, remaining - warning) * 1000;
      timer = window.setTimeout(check, wait);
    }

    function hasTypedWork() {
      return document.querySelector("form[data-dirty='1']") !== null;
    }

    function expired() {
      window.clearTimeout(timer);
      if (!hasTypedWork()) {
        window.location.reload(); // the server signs out and asks to sign in again, back to this page
        return;
      }
      // Typed work stays on the page, with a notice instead of the dialog, so the form can still be sent
      // (and kept as a draft by the server).
      if (dialog.open) {
        dialog.close();
      }
      expiredNote.hidden = false;
    }

    function tick() {
      var left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
      if (left <= 0) {
        expired();
        return;
      }
      minutes.textContent = String(Math.ceil(left / 60));
      timer = window.setTimeout(check, Math.min(15000, left * 1000));
    }

    function show() {
      if (!dialog.open) {
        returnFocus = document.activeElement;
        dialog.showModal();
        button.focus();
      }
      tick();
    }

    // Asks the server (another tab may have been active); this request is not activity.
    function check() {
      fetch(dialog.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          // Sent to the sign-in page (the session is gone altogether): time is up.
          return response.ok && !response.redirected ? response.json() : { remaining: 0 };
        })
        .then(function (state) {
          if (state.remaining > warning) {
            if (dialog.open) {
              dialog.close();
            }
            schedule(state.remaining);
          } else {
            expiresAt = Date.now() + state.remaining * 1000;
            show();
          }
        })
        .catch(function () {
          timer = window.setTimeout(check, 15000);
        });
    }

    button.addEventListener("click", function () {
      var body = new FormData();
      fetch(dialog.dataset.keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": dialog.dataset.csrf, Accept: "application/json" },
        body: body,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("signed out");
          }
          return response.json();
        })
        .then(function (state) {
          dialog.close();
          if (returnFocus && typeof returnFocus.focus === "function") {
            returnFocus.focus();
          }
          schedule(state.remaining);
        })
        .catch(function () {
          expiresAt = Date.now();
          expired();
        });
    });
    // Escape closes a modal dialog; the warning stays until the user chooses 繼續工作.
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
    });

    schedule(parseInt(dialog.dataset.remaining, 10));
  }

  function start() {
    document.querySelectorAll("textarea[maxlength]").forEach(setUpCounter);
    restoreDraft();
    setUpIdleWarning();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
