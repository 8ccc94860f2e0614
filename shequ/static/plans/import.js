// Review of an imported plan: highlights lead to their draft rows and back; selected text (or a duty
// without a number) becomes a new draft row.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  var doc = document.getElementById("doc-text");
  var list = document.getElementById("draft-list");
  var addButton = document.getElementById("add-selection");
  var total = form.querySelector('input[name="t-TOTAL_FORMS"]');
  var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  var pending = null;

  function flash(el) {
    if (!el) return;
    el.scrollIntoView({ behavior: "smooth", block: "center" });
    el.classList.add("active");
    setTimeout(function () { el.classList.remove("active"); }, 1600);
  }

  doc.addEventListener("click", function (e) {
    var mark = e.target.closest("mark.hl");
    if (mark) flash(document.getElementById("r-" + mark.dataset.ids.split(" ")[0]));
  });
  form.addEventListener("click", function (e) {
    var jump = e.target.closest("[data-jump]");
    if (jump) { e.preventDefault(); flash(document.getElementById("m-" + jump.dataset.jump) || doc.querySelector('mark[data-ids~="' + jump.dataset.jump + '"]')); }
    var number = e.target.closest("[data-number]");
    if (number) addRow(number.dataset.text, number.dataset.number);
  });
  form.addEventListener("change", function (e) {
    if (e.target.name && /-kind$/.test(e.target.name)) e.target.closest(".draft-row").dataset.kind = e.target.value;
    if (e.target.name && /-decision$/.test(e.target.name)) {
      var row = e.target.closest(".draft-row");
      if (row) row.classList.toggle("rejected", e.target.value === "reject" || e.target.value === "drop");
    }
  });

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !doc.contains(sel.anchorNode)) { addButton.hidden = true; return; }
    var range = sel.getRangeAt(0);
    var holder = range.startContainer.nodeType === 3 ? range.startContainer.parentElement : range.startContainer;
    var piece = holder.closest("[data-start]");
    pending = { text: sel.toString(), start: piece ? Number(piece.dataset.start) + range.startOffset : -1 };
    addButton.hidden = pending.text.trim().length === 0;
  });
  addButton.addEventListener("click", function () { if (pending) addRow(pending.text, pending.start); });

  function addRow(text, start) {
    var body = new FormData();
    body.append("text", text);
    body.append("start", start);
    body.append("index", total.value);
    fetch(form.dataset.addUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (html) { return { ok: r.ok, html: html }; }); })
      .then(function (res) {
        if (!res.ok || !res.html) return;
        list.insertAdjacentHTML("beforeend", res.html);
        total.value = String(Number(total.value) + 1);
        addButton.hidden = true;
        flash(list.lastElementChild);
      });
  }
})();
