// A PDF being made in the background: reload its page every few seconds until it is ready.
(function () {
  const panel = document.getElementById("print-job");
  const seconds = panel && Number(panel.dataset.refresh);
  if (seconds) {
    setTimeout(() => window.location.reload(), seconds * 1000);
  }
})();
