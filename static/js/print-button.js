// Shows the buttons marked data-print (hidden without JavaScript) and prints the page.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
