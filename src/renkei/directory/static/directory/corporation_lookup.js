/* The organisation look-up box: as the user types a name or a corporate number, candidates
   from the NTA corporate number table appear in a listbox (ARIA 1.2 combobox pattern); picking
   one fills the organisation form. Without this script the box's "Look up" button does the same
   on the server. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 250;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }

  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var input = box.querySelector("input[role=combobox]");
    var listbox = box.querySelector("[role=listbox]");
    var status = box.querySelector(".lookup-status");
    var form = input.form;
    // The fields a pick fills, and those it overwrites even with a blank: the form's own lists.
    var filledFields = (box.dataset.filledFields || "").split(" ").filter(Boolean);
    var officialFields = (box.dataset.officialFields || "").split(" ").filter(Boolean);
    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    // The script takes over from the server-side button: without it, Enter in any field saves.
    box.querySelectorAll(".lookup-fill, .lookup-candidates").forEach(function (el) { el.remove(); });
    if (box.dataset.empty === "1") return;

    function say(text) { status.textContent = text; }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      listbox.textContent = "";
      results.forEach(function (result, i) {
        var form_values = result.form || {};
        var option = document.createElement("li");
        option.id = input.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "lookup-option" + (form_values.closed_on ? " closed" : "");
        var name = document.createElement("strong");
        name.textContent = result.name_ja;
        option.appendChild(name);
        var detail = " " + result.corporate_number + " · " + (result.address || result.address_outside_japan || "");
        if (form_values.closed_on) detail += " · " + format(box.dataset.msgClosed, { date: form_values.closed_on });
        option.appendChild(document.createTextNode(detail));
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { pick(i); });
        listbox.appendChild(option);
      });
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      say(results.length ? format(box.dataset.msgCount, { count: results.length }) : box.dataset.msgNone);
    }

    function search() {
      // NFKC, as on the server: a number typed in full-width digits (an IME's default) is found too.
      var text = input.value.normalize("NFKC").trim();
      if (controller) controller.abort();
      if (!text) { results = []; close(); say(""); return; }
      controller = new AbortController();
      say(box.dataset.msgSearching);
      var url = box.dataset.lookupUrl + "?q=" + encodeURIComponent(text.slice(0, 100));
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 429) throw new Error(box.dataset.msgBusy);
          if (!response.ok) throw new Error(box.dataset.msgError);
          return response.json();
        })
        .then(function (data) { results = data.results || []; render(); })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          results = []; close(); say(error.message || box.dataset.msgError);
        });
    }

    function setField(name, value) {
      var field = form.elements.namedItem(name);
      if (field && value != null) field.value = value;
      return field;
    }

    function fillMunicipality(prefecture, municipality) {
      var prefectureField = form.elements.namedItem("prefecture");
      var municipalityField = form.elements.namedItem("municipality");
      if (!prefectureField || !municipalityField) return Promise.resolve(true);
      prefectureField.value = prefecture || "";
      var optionsUrl = prefectureField.getAttribute("hx-get");
      if (!optionsUrl || !prefecture) { municipalityField.value = municipality || ""; return Promise.resolve(!!municipality); }
      var query = "?prefecture=" + encodeURIComponent(prefecture) + "&municipality=" + encodeURIComponent(municipality || "");
      return fetch(optionsUrl + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) {
          municipalityField.innerHTML = html;
          municipalityField.value = municipality || "";
          return !!municipality && municipalityField.value === municipality;
        })
        .catch(function () { return false; });
    }

    function pick(index) {
      var result = results[index];
      if (!result) return;
      var values = result.form || {};
      filledFields.forEach(function (name) {
        // The register often has no English or kana name: keep what the user typed then.
        if (values[name] || officialFields.indexOf(name) >= 0) setField(name, values[name]);
      });
      input.value = "";
      results = [];
      listbox.textContent = "";
      close();
      var message = values.closed_on
        ? format(box.dataset.msgPickedClosed, { name: values.name_ja, date: values.closed_on })
        : format(box.dataset.msgPicked, { name: values.name_ja });
      box.classList.toggle("picked-closed", !!values.closed_on);
      say(message);
      fillMunicipality(values.prefecture, values.municipality).then(function (found) {
        if (values.prefecture && !found) say(message + " " + box.dataset.msgNoMunicipality);
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      // While an IME composes (Japanese input), Enter confirms the conversion and the arrow keys
      // choose among its candidates: they are the IME's, not the listbox's.
      if (event.isComposing || event.keyCode === 229) return;
      var count = results.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden && count) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        if (count) highlight((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (count) highlight(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submit the form from the look-up box
        if (!listbox.hidden && active >= 0) pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function start() { document.querySelectorAll(".corporation-lookup").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
