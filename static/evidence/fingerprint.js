// Evidence fingerprint on the device (guideline 4-3-2E, 5-2-2): the picked file never leaves the page.
// The file input has no `name` and the form is not multipart, so the browser cannot post the file; this
// script reads it locally, puts only two hex digests in hidden fields and clears the input.
// SHA-256 via Web Crypto; perceptual hash via the vendored blockhash-core (bmvbhash, 8x8 = 64 bits).
(function () {
  "use strict";

  var input = document.getElementById("fingerprint-file");
  var state = document.getElementById("fingerprint-state");
  var sha = document.getElementById("id_sha256");
  var phash = document.getElementById("id_phash");
  var select = document.getElementById("id_platform");
  var needs = document.getElementById("platform-needs");

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  function perceptual(file) {
    if (!window.createImageBitmap || !window.exports || !window.exports.bmvbhash) {
      return Promise.resolve("");
    }
    return createImageBitmap(file).then(function (bitmap) {
      var canvas = document.createElement("canvas");
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      var ctx = canvas.getContext("2d");
      ctx.drawImage(bitmap, 0, 0);
      var data = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      return window.exports.bmvbhash({ width: data.width, height: data.height, data: data.data }, 8);
    }).catch(function () { return ""; });  // not an image the browser can draw: the SHA-256 alone
  }

  function compute() {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (!window.crypto || !window.crypto.subtle) {
      state.textContent = "這個瀏覽器無法在本機計算指紋（需要 HTTPS），請略過此欄。";
      input.value = "";
      return;
    }
    state.textContent = "正在本機計算指紋…";
    file.arrayBuffer()
      .then(function (bytes) { return window.crypto.subtle.digest("SHA-256", bytes); })
      .then(function (digest) {
        sha.value = hex(digest);
        return perceptual(file);
      })
      .then(function (p) {
        phash.value = p;
        state.textContent = "已在本機計算指紋：" + sha.value.slice(0, 16) + "…（影像未上傳）";
        input.value = "";  // nothing of the file stays in the form
      })
      .catch(function () {
        state.textContent = "無法計算指紋，請重新選擇檔案或略過此欄。";
        input.value = "";
      });
  }

  function showNeeds() {
    if (!select || !needs) { return; }
    var row = document.querySelector('#platform-table tr[data-platform="' + select.value + '"]');
    if (!row) { needs.textContent = ""; return; }
    var text = row.dataset.name + "：需要" + row.dataset.needs;
    if (row.dataset.recording) { text += "；須另行錄影保留蒐證過程（請勾選「錄影」）"; }
    if (row.dataset.ip) { text += "；如有顯示張貼者 IP，請記錄"; }
    needs.textContent = text + "。";
  }

  if (input) { input.addEventListener("change", compute); }
  if (select) { select.addEventListener("change", showNeeds); showNeeds(); }
})();
