// The query editor: highlighting, Tab indent, Ctrl+Enter to run, examples, missing prefixes.
// Plain JavaScript, no library (the page works offline); without it the form still works.
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area) return;
  var form = document.getElementById("query-form");
  var editor = area.parentElement;
  var KEYWORDS = /^(select|ask|construct|describe|where|prefix|base|from|named|graph|optional|union|minus|filter|bind|values|as|order|by|group|having|limit|offset|distinct|reduced|asc|desc|not|exists|in|a|count|sum|min|max|avg|sample|group_concat|separator|service|silent|undef|true|false)$/i;
  var TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][\w\u00C0-\uFFFF]+)|((?:[A-Za-z][\w.-]*)?:[\w\u00C0-\uFFFF.%-]*)|([A-Za-z_][\w]*)/g;

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += esc(text.slice(last, m.index));
      var cls = m[1] ? "c" : m[2] ? "s" : m[3] ? "i" : m[4] ? "v" : m[5] ? "p" : KEYWORDS.test(m[6]) ? "k" : "";
      out += cls ? '<span class="t-' + cls + '">' + esc(m[0]) + "</span>" : esc(m[0]);
      last = TOKEN.lastIndex;
    }
    return out + esc(text.slice(last)) + "\n";
  }

  var pre = document.createElement("pre");
  pre.className = "highlight";
  pre.setAttribute("aria-hidden", "true");
  editor.insertBefore(pre, area);
  editor.classList.add("highlighting");

  function refresh() {
    pre.innerHTML = highlight(area.value);
    pre.scrollTop = area.scrollTop;
    pre.scrollLeft = area.scrollLeft;
  }
  area.addEventListener("input", refresh);
  area.addEventListener("scroll", function () {
    pre.scrollTop = area.scrollTop;
    pre.scrollLeft = area.scrollLeft;
  });
  area.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.submit();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      var start = area.selectionStart, end = area.selectionEnd;
      area.value = area.value.slice(0, start) + "  " + area.value.slice(end);
      area.selectionStart = area.selectionEnd = start + 2;
      refresh();
    }
  });

  function readJson(id, fallback) {
    var node = document.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : fallback; } catch (e) { return fallback; }
  }
  var prefixes = readJson("prefix-map", {});
  var texts = readJson("example-map", []);
  var names = readJson("example-names", []);

  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (link) {
    link.addEventListener("click", function (event) {
      var i = names.indexOf(link.getAttribute("data-name"));
      if (i < 0) return;
      event.preventDefault();
      area.value = texts[i];
      refresh();
      area.focus();
    });
  });

  var addButton = document.getElementById("add-prefixes");
  if (addButton) {
    addButton.addEventListener("click", function () {
      var text = area.value, used = {}, m;
      var declared = {};
      var decl = /PREFIX\s+([\w.-]*):/gi;
      while ((m = decl.exec(text)) !== null) declared[m[1]] = true;
      var use = /(?:^|[\s(\/^|,;])([A-Za-z][\w.-]*):(?!\/\/)/g;
      var body = text.replace(/<[^>\s]*>/g, " ").replace(/"(?:[^"\\\n]|\\.)*"/g, " ").replace(/#[^\n]*/g, " ");
      while ((m = use.exec(body)) !== null) {
        if (prefixes[m[1]] && !declared[m[1]]) used[m[1]] = true;
      }
      var lines = Object.keys(used).sort().map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
      if (lines.length) {
        area.value = lines.join("\n") + "\n" + text;
        refresh();
      }
    });
  }
  refresh();
})();
