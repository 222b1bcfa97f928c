// wizard.js enhances the diagnosis pages; every part also works without it.
// - Masks API keys in pasted text as soon as it is pasted or typed, before
//   anything is sent (the server masks again). Patterns follow
//   diagnose/redact: provider key shapes, Bearer tokens, values assigned to
//   key-like names, and Azure 32-hex keys on lines that mention a key.
// - Sends each wizard step with fetch and swaps the returned fragment in
//   place, instead of a full page load; each step is a history entry, so
//   Back and Forward move between steps.
// - Reads the pasted error back at once (provider, kind of limit, numbers),
//   and classifies setup pastes as they are typed.
// - Reads uploaded files in the browser (masked like pastes) into boxes.
//   A runtime-log database (logs.db) is binary: it is never read into a box
//   or masked; it stays in its file input and goes with the multipart POST,
//   and the page shows its name and size with a way to remove it.
// - Sends "Did this fix it?" answers without leaving the page.
(function () {
  "use strict";

  // --- Masking ---------------------------------------------------------------
  var keyShapes = [
    /sk-[A-Za-z0-9][A-Za-z0-9_\-]{14,}/g,
    /gsk_[A-Za-z0-9]{16,}/g,
    /hf_[A-Za-z0-9]{16,}/g,
    /AIza[0-9A-Za-z_\-]{30,}/g,
    /xai-[A-Za-z0-9]{20,}/g,
    /pplx-[A-Za-z0-9]{20,}/g,
    /r8_[A-Za-z0-9]{20,}/g,
    /ghp_[A-Za-z0-9]{20,}/g,
    /github_pat_[A-Za-z0-9_]{20,}/g,
    /AKIA[0-9A-Z]{16}/g,
    /eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}/g
  ];
  var bearer = /(\bbearer\s+)([A-Za-z0-9._~+\/=\-]{12,})/gi;
  var keyContext = /([A-Za-z0-9_\-]*(?:api[_\-]?key|apikey|secret|token|password|passwd|access[_\-]?key|subscription[_\-]?key|_key)["']?\s*[:=]\s*)(?:(["'])([^"'\s]{8,})\2|([A-Za-z0-9_\-.\/+=]{16,}))/gi;
  var hex32 = /\b[0-9a-fA-F]{32}\b/g;
  var hexLine = /key|azure|ocp-apim|subscription/i;
  var prefixes = ["sk-ant-", "sk-proj-", "sk-or-", "sk-", "gsk_", "hf_", "AIza", "xai-", "pplx-", "r8_", "ghp_", "github_pat_", "AKIA", "eyJ"];
  var placeholderWords = ["your", "xxxx", "****", "placeholder", "example", "changeme", "api_key", "apikey", "os.environ", "getenv", "env(", "none", "null", "true", "false", "dummy", "fake", "not-needed", "notneeded", "ollama", "lm-studio", "lmstudio"];

  function maskOne(secret) {
    if (secret.length < 12) return "…";
    var prefix = "";
    for (var i = 0; i < prefixes.length; i++) {
      if (secret.indexOf(prefixes[i]) === 0) { prefix = prefixes[i]; break; }
    }
    return prefix + "…" + secret.slice(-4);
  }

  function isPlaceholder(v) {
    var l = v.toLowerCase();
    if (v.indexOf("…") >= 0 || v.indexOf("...") >= 0 || /[<>{}$()\[\]]/.test(v)) return true;
    for (var i = 0; i < placeholderWords.length; i++) {
      if (l.indexOf(placeholderWords[i]) >= 0) return true;
    }
    return false;
  }

  function looksSecret(v) {
    var digits = (v.match(/[0-9]/g) || []).length;
    var letters = (v.match(/[A-Za-z]/g) || []).length;
    if (v.toUpperCase() === v && digits === 0) return false;
    if (digits === 0 && v.length < 24) return false;
    if (/\.(json|txt|py)$/.test(v) || v.indexOf("http") === 0) return false;
    return letters > 0 || digits >= 16;
  }

  // mask returns the text with every secret masked and how many were.
  function mask(text) {
    var n = 0;
    keyShapes.forEach(function (re) {
      text = text.replace(re, function (m) {
        if (isPlaceholder(m)) return m;
        n++;
        return maskOne(m);
      });
    });
    text = text.replace(bearer, function (m, lead, tok) {
      if (isPlaceholder(tok)) return m;
      n++;
      return lead + maskOne(tok);
    });
    text = text.replace(keyContext, function (m, lead, q, quoted, bare) {
      var v = quoted !== undefined && quoted !== "" ? quoted : bare;
      if (!v || isPlaceholder(v) || !looksSecret(v)) return m;
      n++;
      return m.replace(v, maskOne(v));
    });
    if (hex32.test(text)) {
      hex32.lastIndex = 0;
      text = text.split("\n").map(function (line) {
        if (!hexLine.test(line)) return line;
        return line.replace(hex32, function (m) { n++; return maskOne(m); });
      }).join("\n");
    }
    return { text: text, n: n };
  }

  function addMasked(n) {
    if (n <= 0) return;
    var count = document.querySelector("[data-mask-count]");
    var total = n;
    if (count) {
      total = (parseInt(count.value, 10) || 0) + n;
      count.value = String(total);
    }
    var note = document.querySelector("[data-mask-note]");
    if (note) {
      var text = note.querySelector("[data-mask-note-text]");
      if (text) {
        text.textContent = total + (total === 1 ? " key was" : " keys were") + " masked before sending.";
      }
      note.hidden = false;
    }
  }

  function maskField(el) {
    var r = mask(el.value);
    if (r.n === 0) return;
    var pos = el.selectionStart, delta = el.value.length - r.text.length;
    el.value = r.text;
    if (typeof pos === "number" && document.activeElement === el) {
      var p = Math.max(0, pos - delta);
      try { el.setSelectionRange(p, p); } catch (e) { /* not a text field */ }
    }
    addMasked(r.n);
  }

  function maskAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-mask], input[name=paste_name]"), maskField);
  }

  // --- Talking to the server ---------------------------------------------------
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-RLD-Fragment": "1" }
    });
  }

  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  var recognizeError = debounce(function (form) {
    var slot = document.getElementById("recognised");
    if (!slot) return;
    var fd = new FormData();
    var err = form.querySelector("[data-recognize=error]");
    fd.append("error", err ? err.value : "");
    post("/diagnose/recognize", fd).then(function (res) {
      return res.ok ? res.text() : "";
    }).then(function (html) {
      slot.innerHTML = html;
    }).catch(function () { /* the next step shows it anyway */ });
  }, 400);

  var recognizeSetup = debounce(function (form) {
    var slot = form.querySelector("[data-setup-summary]");
    if (!slot) return;
    var fd = new FormData();
    form.querySelectorAll("[data-paste-box]").forEach(function (box) {
      var name = box.querySelector("input[name=paste_name]");
      var text = box.querySelector("textarea[name=paste]");
      fd.append("paste_name", name ? name.value : "");
      fd.append("paste", text ? text.value : "");
    });
    post("/diagnose/recognize?part=setup", fd).then(function (res) {
      return res.ok ? res.text() : "";
    }).then(function (html) {
      slot.innerHTML = html;
    }).catch(function () { /* shown on the next step */ });
  }, 800);

  // --- Steps in place, with history ---------------------------------------------
  // Each step swapped in place gets its own history entry whose state is the
  // step's form data (text fields only, already masked), so Back and Forward
  // move between steps: popstate posts that data again and swaps the step
  // the server renders from it. Without JavaScript every step is a normal
  // POST and the browser's own history does the same.

  function wizardState() {
    var form = document.getElementById("wizard-form");
    var wizard = document.getElementById("wizard");
    if (!form || !wizard) return null;
    maskAll(form);
    var fields = [];
    new FormData(form).forEach(function (v, k) {
      if (typeof v === "string") fields.push([k, v]);
    });
    return { rld: "wizard", step: wizard.getAttribute("data-step") || "", fields: fields };
  }

  // remember records the current step in history: push adds an entry,
  // otherwise the current entry is updated (what was typed so far).
  function remember(push) {
    var st = wizardState();
    if (!st || !window.history || !history.replaceState) return;
    try {
      if (push) { history.pushState(st, "", location.href); } else { history.replaceState(st, "", location.href); }
    } catch (e) { /* too large for history: Back leaves the wizard, as without script */ }
  }

  // loadStep posts form data and swaps in the step the server renders.
  function loadStep(url, fd) {
    var wizard = document.getElementById("wizard");
    if (wizard) wizard.setAttribute("aria-busy", "true");
    return post(url, fd).then(function (res) {
      if (!res.ok) throw new Error("status " + res.status);
      return res.text();
    }).then(function (html) {
      var tpl = document.createElement("template");
      tpl.innerHTML = html.trim();
      var fresh = tpl.content.firstElementChild;
      if (!fresh || !wizard) throw new Error("no fragment");
      wizard.replaceWith(fresh);
      var title = document.getElementById("step-title");
      if (title) title.focus({ preventScroll: true });
      fresh.scrollIntoView({ block: "start" });
    }, function (err) {
      if (wizard) wizard.removeAttribute("aria-busy");
      throw err;
    });
  }

  // swapWizard sends the form with the button pressed and swaps the fragment.
  function swapWizard(form, submitter) {
    maskAll(form);
    var fd = new FormData(form);
    if (submitter && submitter.name) fd.append(submitter.name, submitter.value);
    remember(false); // Back returns to this step as it is now
    loadStep(form.action, fd).then(function () {
      remember(true);
    }).catch(function () {
      // Fall back to a normal submission: the server answers with a full
      // page (and a clear message if something was wrong with the input).
      fallback = true;
      if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    });
  }

  // restore shows the step a history entry recorded.
  function restore(st) {
    var form = document.getElementById("wizard-form");
    if (!form || !st || st.rld !== "wizard" || !st.fields) return;
    var fd = new FormData();
    st.fields.forEach(function (kv) { fd.append(kv[0], kv[1]); });
    loadStep(form.action, fd).catch(function () {
      location.reload(); // the server page is always right
    });
  }

  // What is typed or ticked on a step is kept in its history entry too, so
  // Forward comes back to it after Back.
  var rememberTyping = debounce(function () { remember(false); }, 250);

  window.addEventListener("popstate", function (ev) {
    if (ev.state && ev.state.rld === "wizard") restore(ev.state);
  });

  if (document.getElementById("wizard")) {
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var saved = history.state;
    var shown = document.getElementById("wizard").getAttribute("data-step");
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (nav && nav.type === "back_forward" && saved && saved.rld === "wizard" && saved.step !== shown) {
      // Back from another page onto an entry for a later step: show it.
      // Only then: a link to /diagnose (Start over, the menu) on /diagnose
      // counts as a reload in some browsers and keeps the entry's state,
      // and must start afresh.
      restore(saved);
    } else {
      remember(false);
    }
  }

  var fallback = false;

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = ev.submitter;
    if (form.id === "wizard-form") {
      maskAll(form);
      if (fallback || (submitter && submitter.hasAttribute("data-no-fetch"))) {
        fallback = false;
        return; // Save & share: a real navigation to the permalink
      }
      ev.preventDefault();
      swapWizard(form, submitter);
      return;
    }
    if (form.hasAttribute("data-vote-form")) {
      ev.preventDefault();
      var fd = new FormData(form);
      if (submitter && submitter.name) fd.append(submitter.name, submitter.value);
      var box = submitter ? submitter.closest("[data-vote]") : null;
      post(form.action, fd).then(function (res) {
        if (!res.ok) throw new Error("status " + res.status);
        return res.text();
      }).then(function (html) {
        if (box) box.innerHTML = html;
      }).catch(function () {
        if (box) box.textContent = "Your answer could not be sent. Please try again later.";
      });
    }
  });

  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!(el instanceof HTMLElement)) return;
    if (el.matches("[data-mask], input[name=paste_name]")) maskField(el);
    var form = el.closest("#wizard-form");
    if (!form) return;
    rememberTyping();
    if (el.matches("[data-recognize=error]")) recognizeError(form);
    if (el.closest("[data-paste-box]")) recognizeSetup(form);
  });

  // Paste fires before input; masking on input covers both, and this makes
  // sure a paste is masked even if no input event follows (some IMEs).
  document.addEventListener("paste", function (ev) {
    var el = ev.target;
    if (el instanceof HTMLElement && el.matches("[data-mask]")) {
      setTimeout(function () { maskField(el); }, 0);
    }
  });

  function newPasteBox(form, name, text) {
    var boxes = form.querySelectorAll("[data-paste-box]");
    var last = boxes[boxes.length - 1];
    if (!last) return null;
    var target = last;
    var ta = last.querySelector("textarea[name=paste]");
    if (ta && ta.value !== "") {
      target = last.cloneNode(true);
      target.querySelector("textarea[name=paste]").value = "";
      target.querySelector("input[name=paste_name]").value = "";
      var n = boxes.length + 1;
      target.querySelectorAll(".visually-hidden").forEach(function (s) {
        s.textContent = s.textContent.replace(/\d+$/, String(n));
      });
      last.after(target);
    }
    if (name !== undefined) target.querySelector("input[name=paste_name]").value = name;
    if (text !== undefined) target.querySelector("textarea[name=paste]").value = text;
    return target;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target instanceof Element ? ev.target.closest("[data-add-paste]") : null;
    if (btn) {
      var form = btn.closest("form");
      ev.preventDefault();
      var boxes = form.querySelectorAll("[data-paste-box]");
      var last = boxes[boxes.length - 1];
      if (last && last.querySelector("textarea[name=paste]").value === "") {
        last.querySelector("textarea[name=paste]").focus();
        return;
      }
      var box = newPasteBox(form);
      if (box) box.querySelector("textarea[name=paste]").focus();
      return;
    }
    var link = ev.target instanceof Element ? ev.target.closest(".permalink-input") : null;
    if (link) link.select();
  });

  // --- Runtime-log databases ------------------------------------------------------
  var dbExt = /\.(db|sqlite|sqlite3)$/i;

  function fileSize(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MB";
    if (n >= 1024) return Math.round(n / 1024) + " KB";
    return n + " bytes";
  }

  // showRunlog says which database the file input holds, or why it was
  // refused; "Remove" empties the input so nothing is sent.
  function showRunlog(input) {
    var box = input.closest("[data-runlog]");
    var slot = box ? box.querySelector("[data-runlog-picked]") : null;
    if (!slot) return;
    slot.textContent = "";
    slot.classList.remove("is-error");
    var f = input.files && input.files[0];
    if (!f) { slot.hidden = true; return; }
    var max = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    if (max > 0 && f.size > max) {
      input.value = "";
      slot.classList.add("is-error");
      slot.textContent = f.name + " is " + fileSize(f.size) + ", more than the wizard takes (" + fileSize(max) +
        "). Run the CLI on it (ratelimit-doctor diagnose " + f.name + ") or POST it to /api/v1/diagnose.";
      slot.hidden = false;
      return;
    }
    var label = document.createElement("span");
    label.appendChild(document.createTextNode("Runtime log: "));
    var code = document.createElement("code");
    code.textContent = f.name;
    label.appendChild(code);
    var size = document.createElement("span");
    size.className = "muted";
    size.textContent = " (" + fileSize(f.size) + ", sent when you go on)";
    label.appendChild(size);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-secondary button-small";
    remove.setAttribute("data-runlog-clear", "");
    remove.setAttribute("data-testid", "runlog-clear");
    remove.textContent = "Remove";
    slot.appendChild(label);
    slot.appendChild(remove);
    slot.hidden = false;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target instanceof Element ? ev.target.closest("[data-runlog-clear]") : null;
    if (!btn) return;
    var box = btn.closest("[data-runlog]");
    var input = box ? box.querySelector("[data-runlog-upload]") : null;
    if (input) {
      input.value = "";
      showRunlog(input);
      input.focus();
    }
  });

  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (input instanceof Element && input.closest("#wizard-form") && !input.hasAttribute("data-upload")) rememberTyping();
    if (input instanceof HTMLInputElement && input.hasAttribute("data-runlog-upload")) {
      showRunlog(input);
      return;
    }
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-upload") || !input.files) return;
    var form = input.closest("form");
    var all = Array.prototype.slice.call(input.files);
    // Databases are binary: keep them in the input for the POST (the
    // server takes a .db from here too) and read only text into boxes.
    var dbs = all.filter(function (f) { return dbExt.test(f.name); });
    var files = all.filter(function (f) { return !dbExt.test(f.name); });
    Promise.all(files.map(function (f) {
      return f.text().then(function (t) { return { name: f.name, text: t }; });
    })).then(function (read) {
      read.forEach(function (f) {
        var r = mask(f.text);
        addMasked(r.n);
        newPasteBox(form, f.name, r.text);
      });
      // The files are now in the boxes (masked): do not send them raw.
      input.value = "";
      if (dbs.length > 0 && window.DataTransfer) {
        try {
          var dt = new DataTransfer();
          dbs.forEach(function (f) { dt.items.add(f); });
          input.files = dt.files;
        } catch (e) { /* the database is dropped; upload it on "What happened" */ }
      }
      recognizeSetup(form);
    }).catch(function () { /* leave the files for the server to read */ });
  });
})();
