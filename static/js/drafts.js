/* Forum drafts: what a member writes in a post form is kept in this browser (localStorage) as they type,
   so closing the page loses nothing; it comes back when the form is opened again and is forgotten once
   the post is sent. Forms opt in with data-draft="<key>"; the server never sees a draft. */
(function () {
  "use strict";

  var gettext = window.gettext;  // the page language's catalogue (/jsi18n/), loaded before this script
  var PREFIX = "crossroads:draft:";
  var storage;
  try { storage = window.localStorage; storage.getItem(PREFIX); } catch (error) { return; }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = PREFIX + form.dataset.draft;
    var status = form.querySelector("[data-draft-status]");
    var fields = Array.prototype.filter.call(form.elements, function (field) {
      return (field.tagName === "TEXTAREA" || field.type === "text") && field.name;
    });
    var saved = null;
    try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (error) { saved = null; }
    if (saved) {
      var restored = false;
      fields.forEach(function (field) {
        // A form shown again with what was posted (an error) keeps the server's value.
        if (!field.value && saved[field.name]) { field.value = saved[field.name]; restored = true; }
      });
      if (restored && status) { status.textContent = status.dataset.restored || gettext("Draft restored."); }
    }
    var timer = null;
    var sent = false;
    function save() {
      timer = null;
      if (sent) { return; }
      var values = {};
      var any = false;
      fields.forEach(function (field) { values[field.name] = field.value; any = any || !!field.value.trim(); });
      if (any) { storage.setItem(key, JSON.stringify(values)); } else { storage.removeItem(key); }
      if (status) { status.textContent = any ? (status.dataset.saved || gettext("Draft saved in this browser.")) : ""; }
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
    form.addEventListener("submit", function () { clearTimeout(timer); timer = null; sent = true; storage.removeItem(key); });
    // Typed in the last moment before the page closes: save it now rather than after the pause.
    window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
  });
}());
