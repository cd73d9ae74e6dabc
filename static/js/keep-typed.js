/* Palabre: the language switch in the footer keeps what was typed on the page.
 *
 * The switch is a link (it works without JavaScript, but a page then comes back empty). Here,
 * when a form of the page holds something typed, a click on it first keeps the form's fields
 * in the tab's sessionStorage (on this phone, for this tab only, never in the address nor on
 * the server: it may hold the parties' names); the page, back in the other language, puts
 * them back and forgets them at once. Hidden fields (the form's tokens) come fresh from the
 * server, files and passwords are never kept.
 */
(function () {
  "use strict";
  var KEY = "palabre-typed";
  var SKIPPED = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function kept(field) {
    return field.name && SKIPPED.indexOf(field.type) === -1 && !field.disabled;
  }

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    return field.value !== field.defaultValue;
  }

  function typed() {
    var fields = [], dirty = false;
    Array.prototype.forEach.call(document.querySelectorAll("main form"), function (form, f) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!kept(field)) { return; }
        dirty = dirty || changed(field);
        var value = field.type === "checkbox" || field.type === "radio" ? field.checked
          : field.tagName === "SELECT" && field.multiple
            ? Array.prototype.filter.call(field.options, function (o) { return o.selected; })
                .map(function (o) { return o.value; })
            : field.value;
        fields.push([f, field.name, field.type === "checkbox" || field.type === "radio"
          ? field.value : null, value]);
      });
    });
    return dirty ? fields : null;
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { return; }
    if (!saved) { return; }
    window.sessionStorage.removeItem(KEY);
    if (saved.path !== window.location.pathname) { return; }
    var forms = document.querySelectorAll("main form");
    saved.fields.forEach(function (entry) {
      var form = forms[entry[0]];
      if (!form) { return; }
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== entry[1] || !kept(field)) { return; }
        if (entry[2] !== null) {
          if (field.value === entry[2]) { field.checked = entry[3]; }
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (o) {
            o.selected = entry[3].indexOf(o.value) !== -1;
          });
        } else {
          field.value = entry[3];
        }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-keep-typed]") : null;
    if (!link) { return; }
    var fields = typed();
    if (!fields) { return; }
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(
        {path: window.location.pathname, fields: fields}));
    } catch (e) { /* storage full or refused: the switch still works */ }
  });

  restore();
}());
