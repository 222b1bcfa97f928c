// app.js adds the conveniences that need a script: copy buttons on code
// blocks, one AutoGen version chosen across all tab groups, the theme toggle
// and the keyboard shortcuts. Everything it enhances also works without it.
(function () {
  "use strict";

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch (e) {
      // storage blocked: the choice lasts for this page only
    }
    return null;
  }

  // --- Copy buttons -------------------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http hosts, where the async clipboard API is absent.
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "offscreen";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll(".code-block");
    Array.prototype.forEach.call(blocks, function (block) {
      var pre = block.querySelector("pre");
      if (!pre || block.querySelector(".copy-btn")) return;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "copy-btn";
      btn.textContent = "Copy";
      var lang = block.getAttribute("data-lang");
      btn.setAttribute("aria-label", lang ? "Copy " + lang + " code" : "Copy code");
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("aria-live", "polite");
      var timer = null;
      btn.addEventListener("click", function () {
        copyText(pre.innerText.replace(/\n$/, "")).then(function () {
          btn.textContent = "Copied";
          btn.classList.add("copied");
          status.textContent = "Copied to clipboard";
        }, function () {
          btn.textContent = "Press Ctrl+C";
          status.textContent = "Copy failed; select the code and press Ctrl+C";
        });
        clearTimeout(timer);
        timer = setTimeout(function () {
          btn.textContent = "Copy";
          btn.classList.remove("copied");
          status.textContent = "";
        }, 2000);
      });
      block.appendChild(btn);
      block.appendChild(status);
    });
  }

  // --- Version tabs -------------------------------------------------------
  // Tabs work with CSS alone (:checked). The script only makes a choice in one
  // group apply to every group with the same key, and remembers it.
  function tabKey(radio) {
    return radio.getAttribute("data-tab-key") || "";
  }

  function selectTab(key) {
    if (!key) return;
    var radios = document.querySelectorAll(".tabs input.tab-radio");
    Array.prototype.forEach.call(radios, function (r) {
      if (tabKey(r) === key) r.checked = true;
    });
  }

  function setupTabs() {
    var saved = store("rld-autogen");
    if (saved) selectTab(saved);
    document.addEventListener("change", function (ev) {
      var t = ev.target;
      if (!t || !t.classList || !t.classList.contains("tab-radio")) return;
      var key = tabKey(t);
      if (!key) return;
      store("rld-autogen", key);
      // Keep the clicked group still while others change height above it.
      var before = t.getBoundingClientRect().top;
      selectTab(key);
      var after = t.getBoundingClientRect().top;
      if (Math.abs(after - before) > 1) window.scrollBy(0, after - before);
    });
  }

  // --- Theme toggle -------------------------------------------------------
  var themes = ["system", "light", "dark"];
  var themeNames = { system: "System theme", light: "Light theme", dark: "Dark theme" };

  function applyTheme(choice) {
    var root = document.documentElement;
    if (choice === "light" || choice === "dark") {
      root.setAttribute("data-theme", choice);
    } else {
      root.removeAttribute("data-theme");
    }
    var btn = document.getElementById("theme-toggle");
    if (btn) {
      btn.setAttribute("data-choice", choice);
      btn.setAttribute("aria-label", themeNames[choice] + " (click to change)");
      btn.setAttribute("title", themeNames[choice]);
      var label = btn.querySelector(".theme-label");
      if (label) label.textContent = choice.charAt(0).toUpperCase() + choice.slice(1);
    }
  }

  function setupTheme() {
    var btn = document.getElementById("theme-toggle");
    if (!btn) return;
    var current = store("rld-theme") || "system";
    if (themes.indexOf(current) < 0) current = "system";
    applyTheme(current);
    btn.hidden = false;
    btn.addEventListener("click", function () {
      current = themes[(themes.indexOf(current) + 1) % themes.length];
      store("rld-theme", current);
      applyTheme(current);
    });
  }

  // --- Keyboard shortcuts -------------------------------------------------
  // Keys typed into a text field belong to it; a focused radio, checkbox or
  // button does not take text, so "/" still jumps to search from there.
  var nonTextInputs = { radio: 1, checkbox: 1, button: 1, submit: 1, reset: 1, range: 1, color: 1, file: 1, image: 1 };
  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    if (tag === "INPUT") return !nonTextInputs[(el.getAttribute("type") || "text").toLowerCase()];
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function setupShortcuts() {
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var search = document.getElementById("site-search");
      if (!search) return;
      var active = document.activeElement;
      if (ev.key === "/" && !isTyping(active)) {
        ev.preventDefault();
        search.focus();
        search.select();
      } else if (ev.key === "Escape" && active === search) {
        search.blur();
      }
    });
  }

  // --- Table of contents: mark the section being read -------------------
  function setupTocSpy() {
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length) return;
    var headings = [];
    var seen = {};
    Array.prototype.forEach.call(links, function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var h = document.getElementById(id);
      if (h && !seen[id]) { seen[id] = true; headings.push(h); }
    });
    var current = null;
    var pending = false;
    function update() {
      pending = false;
      // The section being read is the last heading above a line just below
      // the sticky header.
      var line = 120;
      var active = headings.length ? headings[0] : null;
      // At the very bottom the last sections may never reach that line:
      // then the last heading on screen is the one being read.
      var doc = document.documentElement;
      if (window.innerHeight + window.scrollY >= doc.scrollHeight - 2) line = window.innerHeight;
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line) active = headings[i]; else break;
      }
      var id = active ? active.id : null;
      if (id === current) return;
      current = id;
      Array.prototype.forEach.call(links, function (a) {
        if (decodeURIComponent(a.getAttribute("href").slice(1)) === id) {
          a.setAttribute("aria-current", "location");
        } else {
          a.removeAttribute("aria-current");
        }
      });
    }
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  function init() {
    addCopyButtons();
    setupTocSpy();
    setupTabs();
    setupTheme();
    setupShortcuts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
