// "Preparing the PDF": asks the server every few seconds whether the PDF is ready, then
// announces it (the status paragraph is a live region) and shows the download button.
// Without JavaScript the page offers a link that checks again.

const MAX_POLLS = 150;

export function initPdfProgress(root) {
  for (const element of root.querySelectorAll('[data-module="app-pdf-progress"]')) {
    poll(element, 0);
  }
}

function poll(element, count) {
  const seconds = Number(element.dataset.pollSeconds) || 2;
  if (count >= MAX_POLLS) return;
  window.setTimeout(async () => {
    let status = "pending";
    try {
      const response = await fetch(element.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) status = (await response.json()).status;
    } catch {
      // A dropped connection: try again next time.
    }
    if (status === "ready") {
      showReady(element);
    } else if (status === "failed") {
      window.location.reload(); // the server's page explains the failure and offers to try again
    } else {
      poll(element, count + 1);
    }
  }, seconds * 1000);
}

function showReady(element) {
  const heading = element.querySelector("[data-pdf-progress-heading]");
  const status = element.querySelector("[data-pdf-progress-status]");
  heading.textContent = heading.dataset.readyText;
  status.textContent = status.dataset.readyText;
  element.querySelector("[data-pdf-progress-download]").hidden = false;
  element.querySelector("[data-pdf-progress-check]").hidden = true;
  document.title = `${heading.dataset.readyText} – ${document.title.split(" – ").slice(1).join(" – ")}`;
}
