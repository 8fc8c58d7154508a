// 列印 buttons (data-print): the print stylesheet in app.css leaves out navigation, buttons and forms.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
