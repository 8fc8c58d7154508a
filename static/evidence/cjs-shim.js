// blockhash-core is published as CommonJS (`exports.bmvbhash = ...`): give it a global object to write to,
// so the vendored file runs unchanged in the browser without a bundler (see static/vendor/blockhash-core/README.md).
window.exports = window.exports || {};
