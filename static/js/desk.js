/* The desk, with JavaScript: show only the subtopics of the main topic tapped, and the
   referral destination only when "referred" is tapped. Without JavaScript all of it
   stays visible and the server checks the combination. */
(function () {
  "use strict";
  var form = document.querySelector(".desk-form");
  if (!form) { return; }

  function checkedValue(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function showSubtopics() {
    var main = checkedValue("topic");
    var groups = form.querySelectorAll(".desk-subtopics");
    var anyShown = false;
    groups.forEach(function (group) {
      var show = group.getAttribute("data-parent") === main;
      group.hidden = !show;
      anyShown = anyShown || show;
      if (!show) {
        group.querySelectorAll("input:checked").forEach(function (input) {
          input.checked = false;
          var none = form.querySelector("#subtopic-none");
          if (none) { none.checked = true; }
        });
      }
    });
    var step = form.querySelector("#subtopic-step");
    if (step) { step.hidden = !anyShown; }
  }

  function showReferral() {
    var block = form.querySelector("#referral-block");
    if (block) { block.hidden = checkedValue("outcome") !== "referred"; }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "topic") { showSubtopics(); }
    if (event.target.name === "outcome") { showReferral(); }
  });
  showSubtopics();
  showReferral();
})();
