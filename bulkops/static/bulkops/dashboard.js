// The New bulk operation dialog and live job progress. Plain JavaScript, no build step.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function show(element, visible) {
    if (element) element.hidden = !visible;
  }

  function number(value) {
    return value === null || value === undefined ? "?" : Number(value).toLocaleString();
  }

  // Renders a job (the JSON of bulkops.views.job_json) into the status screen or the details page.
  function renderJob(job) {
    const label = $("bulk-status-label");
    if (label) {
      label.textContent = job.status_label;
      label.className = "job-status job-status-" + job.status;
    }
    const title = $("bulk-status-job");
    if (title) title.textContent = "Job " + job.id + ": " + job.operation + " " + job.object;
    const heading = $("bulk-status-title");
    if (heading) heading.textContent = job.operation === "Export" ? "Export status" : "Import status";
    const progress = $("bulk-progress");
    if (progress) {
      progress.max = job.total || 1;
      progress.value = job.total ? job.done : (job.active ? 0 : 1);
    }
    const text = $("bulk-progress-text");
    if (text) {
      if (job.status === "new") text.textContent = "Waiting for the worker to start the job…";
      else if (job.total === null) text.textContent = "Reading the file…";
      else text.textContent = number(job.done) + " / " + number(job.total) + " rows";
    }
    show($("bulk-counts"), job.operation !== "Export" && (job.done > 0 || !job.active));
    for (const key of ["created", "updated", "unchanged", "deleted", "failed"]) {
      const cell = $("bulk-" + key);
      if (cell) cell.textContent = number(job[key]);
    }
    const reason = $("bulk-reason");
    if (reason) {
      reason.textContent = job.failure_reason || "";
      show(reason, Boolean(job.failure_reason));
    }
    const details = $("bulk-details");
    if (details) details.href = job.details_url;
    show($("bulk-cancel"), job.active);
    for (const [id, url] of [["bulk-errors", job.errors_url], ["bulk-result", job.result_url]]) {
      const link = $(id);
      if (link) {
        link.href = url || "#";
        show(link, Boolean(url) && !job.active);
      }
    }
  }

  function follow(job) {
    renderJob(job);
    if (!job.active) return;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(job.status_url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        const current = (await response.json()).job;
        renderJob(current);
        if (!current.active) clearInterval(timer);
      } catch (error) {
        // A missed poll is retried at the next tick.
      }
    }, 1000);
  }

  function setUpDialog() {
    const dialog = $("bulk-dialog");
    const opener = $("bulk-new");
    if (!dialog || !opener) return;
    const form = $("bulk-form");
    const objectSelect = $("bulk-object");
    const fileInput = $("bulk-file");
    const upload = $("bulk-upload");
    const error = $("bulk-error");
    let finished = false;

    function chosenOption() {
      return objectSelect.options[objectSelect.selectedIndex];
    }

    function showError(message) {
      error.textContent = message;
      show(error, Boolean(message));
    }

    function refreshFile() {
      const file = fileInput.files[0];
      show($("bulk-file-chosen"), Boolean(file));
      show(fileInput, !file);
      $("bulk-file-name").textContent = file ? file.name + " (" + Math.ceil(file.size / 1024).toLocaleString() + " KB)" : "";
      upload.disabled = !file;
    }

    function refreshSteps() {
      const option = chosenOption();
      const chosen = Boolean(option && option.value);
      show($("bulk-operations"), chosen);
      const importRadio = $("bulk-mode-import");
      const exportRadio = $("bulk-mode-export");
      importRadio.disabled = !(chosen && option.dataset.import);
      exportRadio.disabled = !(chosen && option.dataset.export);
      if (importRadio.checked && importRadio.disabled) importRadio.checked = false;
      if (exportRadio.checked && exportRadio.disabled) exportRadio.checked = false;
      show($("bulk-import"), chosen && importRadio.checked);
      show($("bulk-export"), chosen && exportRadio.checked);
      if (chosen) {
        $("bulk-template").href = option.dataset.template;
        show($("bulk-template-row"), option.dataset.kind === "csv");
        show($("bulk-encoding-row"), option.dataset.kind === "csv");
        fileInput.accept = option.dataset.kind === "zip" ? ".zip,application/zip" : ".csv,text/csv";
      }
      showError("");
    }

    async function submit(operation) {
      showError("");
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("object", objectSelect.value);
      data.append("operation", operation);
      if (operation !== "export") {
        data.append("file", fileInput.files[0]);
        data.append("encoding", $("bulk-encoding").value);
      }
      upload.disabled = true;
      $("bulk-export-all").disabled = true;
      try {
        const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
        const body = await response.json().catch(() => ({ error: "The server answered " + response.status + "." }));
        if (!response.ok) {
          showError(body.error || "The operation could not be started.");
          return;
        }
        finished = true;
        show($("bulk-choose"), false);
        show($("bulk-status"), true);
        follow(body.job);
      } catch (failure) {
        showError("The upload did not reach the server: " + failure.message);
      } finally {
        upload.disabled = !fileInput.files[0];
        $("bulk-export-all").disabled = false;
      }
    }

    opener.addEventListener("click", () => dialog.showModal());
    objectSelect.addEventListener("change", refreshSteps);
    $("bulk-mode-import").addEventListener("change", refreshSteps);
    $("bulk-mode-export").addEventListener("change", refreshSteps);
    fileInput.addEventListener("change", refreshFile);
    $("bulk-file-remove").addEventListener("click", () => {
      fileInput.value = "";
      refreshFile();
    });
    $("bulk-export-all").addEventListener("click", () => submit("export"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!fileInput.files[0]) {
        showError("Choose a file to import.");
        return;
      }
      submit($("bulk-validate").checked ? "validate" : "import");
    });
    for (const closer of dialog.querySelectorAll("[data-close]")) {
      closer.addEventListener("click", () => dialog.close());
    }
    // After a job was started, closing shows it in the table (it goes on in the background).
    dialog.addEventListener("close", () => {
      if (finished) window.location.reload();
    });
    refreshSteps();
    refreshFile();
  }

  function setUpDetails() {
    const holder = $("bulk-job-data");
    if (holder) follow(JSON.parse(holder.textContent));
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpDialog();
    setUpDetails();
  });
})();
