// Paper forms typed from the keyboard: Enter moves to the next box; Enter in the last one saves the form.
(function () {
  var form = document.querySelector("form[data-paper]");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=text], input[type=number], select"));
  boxes.forEach(function (box, i) {
    box.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.isComposing) return;
      e.preventDefault();
      if (i + 1 < boxes.length) { boxes[i + 1].focus(); boxes[i + 1].select && boxes[i + 1].select(); }
      else { form.requestSubmit(); }
    });
  });
  form.setAttribute("data-ready", "");
})();
