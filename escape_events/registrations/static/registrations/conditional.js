// Conditional questions of the registration form: each row marked data-shown-if shows only while
// the question it depends on has the answer data-shown-value. The server applies the same rule
// (registrations.question_kinds.condition_met); without this script every question shows, with
// a note saying when it is needed.
(function () {
  "use strict";

  function answered(form, name, value) {
    var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (!inputs.length) return false;
    var row = inputs[0].closest("[data-shown-if]");
    if (row && row.hidden) return false; // what it depends on is not asked either
    return Array.prototype.some.call(inputs, function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        return input.checked && input.value === value;
      }
      return input.value === value;
    });
  }

  function update(form) {
    // Document order: a question's trigger comes before it, so nested conditions settle in one pass.
    form.querySelectorAll("[data-shown-if]").forEach(function (row) {
      row.hidden = !answered(form, row.dataset.shownIf, row.dataset.shownValue);
    });
  }

  document.querySelectorAll("form.reg-form").forEach(function (form) {
    if (!form.querySelector("[data-shown-if]")) return;
    form.classList.add("reg-conditional-on");
    update(form);
    form.addEventListener("change", function () {
      update(form);
    });
  });
})();
