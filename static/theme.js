// theme.js runs in <head>, before the page paints, so the stored theme choice
// applies without a flash of the wrong colours. It is an external file because
// the Content-Security-Policy forbids inline scripts.
(function () {
  var choice = "system";
  try {
    choice = localStorage.getItem("rld-theme") || "system";
  } catch (e) {
    // storage can be blocked (private mode, policies): follow the system
  }
  if (choice === "light" || choice === "dark") {
    document.documentElement.setAttribute("data-theme", choice);
  }
  document.documentElement.classList.add("js");
})();
