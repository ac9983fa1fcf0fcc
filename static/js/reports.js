// Report pages: print every table, and keep the period form unambiguous.
(function () {
  // The tables are folded away in <details>; printing opens them all, and folds
  // again afterwards those that were closed.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  // A preset ("last 13 weeks") and own dates exclude each other: choosing one
  // clears the other, so what is shown is what was chosen.
  var preset = document.getElementById("id_periode");
  var dates = [document.getElementById("id_van"), document.getElementById("id_tot")];
  if (!preset || !dates[0] || !dates[1]) return;
  preset.addEventListener("change", function () {
    if (preset.value) dates.forEach(function (input) { input.value = ""; });
  });
  dates.forEach(function (input) {
    input.addEventListener("input", function () { preset.value = ""; });
  });
})();
