/* Tag autocomplete for inputs marked data-autocomplete="<tag type>".
 *
 * data-autocomplete="any" suggests tags of every type (the listing filters).
 *
 * Progressive enhancement: without this script the inputs are plain comma-separated
 * text. With it, the last comma-separated piece is looked up in GET /api/v1/tags as
 * the author types (characters and relationships scoped to the fandoms typed in the
 * form's fandom field) and the suggestions are shown as an ARIA 1.2 combobox:
 * arrows move, Enter or Tab accepts, Escape closes. Accepting replaces the piece
 * with the tag's name followed by ", ".
 */
(function () {
  "use strict";

  var API = "/api/v1/tags";
  var DELAY_MS = 120;
  var LIMIT = 10;
  var SCOPED = { character: true, relationship: true };
  var counter = 0;

  function pieces(value) {
    return value.split(",").map(function (piece) { return piece.trim(); })
      .filter(function (piece) { return piece; });
  }

  function lastPiece(value) {
    return value.slice(value.lastIndexOf(",") + 1).replace(/^\s+/, "");
  }

  function enhance(input) {
    var type = input.dataset.autocomplete;
    var list = document.createElement("ul");
    var announcer = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;

    list.id = (input.id || "autocomplete-" + ++counter) + "-suggestions";
    list.setAttribute("role", "listbox");
    // Not the field's own label: "Characters" should name the input alone.
    list.setAttribute("aria-label", input.dataset.autocompleteLabel || "Suggestions");
    list.hidden = true;
    setStyle(list, {
      position: "absolute", zIndex: "20", margin: "0", padding: "0", listStyle: "none",
      maxHeight: "16em", overflowY: "auto", background: "var(--bg, Canvas)",
      color: "var(--fg, CanvasText)", border: "1px solid var(--muted, GrayText)",
      borderRadius: "4px", boxShadow: "0 4px 12px rgba(0,0,0,.2)"
    });
    // aria-live rather than role=status, which the page keeps for its messages.
    announcer.setAttribute("aria-live", "polite");
    setStyle(announcer, {
      position: "absolute", width: "1px", height: "1px", overflow: "hidden",
      clip: "rect(0 0 0 0)", whiteSpace: "nowrap", margin: "0"
    });
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", announcer);
    if (getComputedStyle(input.parentNode).position === "static") {
      input.parentNode.style.position = "relative";
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.setAttribute("aria-selected", on ? "true" : "false");
        // The site's colours where its stylesheet has them, the system's otherwise.
        option.style.background = on ? "var(--accent, Highlight)" : "";
        option.style.color = on ? "var(--bg, HighlightText)" : "";
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function accept(index) {
      var value = input.value;
      var comma = value.lastIndexOf(",");
      var head = comma < 0 ? "" : value.slice(0, comma + 1) + " ";
      input.value = head + options[index].dataset.name + ", ";
      close();
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }

    function show(results) {
      var typed = {};
      pieces(input.value).slice(0, -1).forEach(function (name) {
        typed[name.toLowerCase()] = true;
      });
      close();
      results.filter(function (tag) { return !typed[tag.name.toLowerCase()]; })
        .forEach(function (tag, i) {
          var option = document.createElement("li");
          option.id = list.id + "-" + i;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.dataset.name = tag.name;
          option.textContent = tag.name;
          setStyle(option, { padding: ".35rem .55rem", cursor: "pointer" });
          if (!tag.canonical) option.style.fontStyle = "italic";
          option.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the input
            accept(i);
          });
          list.appendChild(option);
          options.push(option);
        });
      announcer.textContent = options.length
        ? options.length + (options.length === 1 ? " suggestion" : " suggestions") : "";
      if (!options.length) return;
      setStyle(list, {
        left: input.offsetLeft + "px",
        top: input.offsetTop + input.offsetHeight + "px",
        width: input.offsetWidth + "px"
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function lookUp() {
      var q = lastPiece(input.value);
      if (pending) pending.abort();
      if (!q.trim()) {
        close();
        return;
      }
      var params = new URLSearchParams({ q: q, limit: String(LIMIT) });
      if (type !== "any") params.set("type", type); // "any": tags of every type
      var fandomInput = input.form && input.form.querySelector('[data-autocomplete="fandom"]');
      if (SCOPED[type] && fandomInput) {
        pieces(fandomInput.value).forEach(function (name) { params.append("fandom", name); });
      }
      pending = new AbortController();
      fetch((input.dataset.autocompleteUrl || API) + "?" + params, {
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (lastPiece(input.value) === q && document.activeElement === input) {
            show(body.results || []);
          }
        })
        .catch(function () { /* aborted or offline: the field still works as text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, DELAY_MS);
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      close();
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && lastPiece(input.value).trim()) {
          event.preventDefault();
          lookUp();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // accept the tag rather than submit the form
        accept(active);
      } else if (event.key === "Tab" && active >= 0) {
        accept(active); // and let the focus move on as usual
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  function setStyle(element, styles) {
    Object.keys(styles).forEach(function (name) { element.style[name] = styles[name]; });
  }

  function start() {
    if (!window.fetch || !window.URLSearchParams || !window.AbortController) return;
    document.querySelectorAll("input[data-autocomplete], textarea[data-autocomplete]")
      .forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
