// The New bulk operation dialog, live job progress and the live job list. Plain JavaScript, no
// build step. Words come from Django's JavaScript catalogue ({% url 'javascript-catalog' %}), loaded
// before this file; the composite sentences (titles, progress, the active note) come translated in
// the JSON of bulkops.web.views.job_json.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  // The catalogue's functions, or plain English if it did not load.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
  const interpolate =
    window.interpolate ||
    ((format, values, named) =>
      named ? format.replace(/%\(\w+\)s/g, (match) => String(values[match.slice(2, -2)])) : format);
  const POLL_MS = 1000;

  function show(element, visible) {
    if (element) element.hidden = !visible;
  }

  function number(value) {
    if (value === null || value === undefined) return "?";
    return Number(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function setText(id, value) {
    const element = $(id);
    if (element && element.textContent !== value) element.textContent = value;
  }

  // Polls url every second, handing each answer to onData until it returns false.
  function poll(url, onData) {
    let stopped = false;
    async function tick() {
      if (stopped) return;
      try {
        const response = await fetch(url(), { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (response.ok && (await onData(await response.json())) === false) {
          stopped = true;
          return;
        }
      } catch (error) {
        // A missed poll is retried at the next tick.
      }
      setTimeout(tick, POLL_MS);
    }
    setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
    };
  }

  // Renders a job (the JSON of bulkops.web.views.job_json) into the status dialog or the details page.
  function renderJob(job) {
    const label = $("bulk-status-label");
    if (label) {
      label.textContent = job.status_label;
      label.className = "job-status job-status-" + job.status;
    }
    setText("bulk-status-job", job.title);
    const heading = $("bulk-dialog-title");
    if (heading && $("bulk-status") && !$("bulk-status").hidden) {
      heading.textContent = job.operation_code === "export" ? gettext("Export status") : gettext("Import status");
    }
    const progress = $("bulk-progress");
    if (progress) {
      progress.max = job.total || 1;
      progress.value = job.total ? job.done : job.active ? 0 : 1;
      // A failed job says where it stopped; a bar would suggest it is still going, or got through.
      show(progress, job.status !== "failed");
    }
    setText("bulk-progress-text", job.progress_text);
    show($("bulk-counts"), job.operation_code !== "export" && (job.done > 0 || !job.active));
    for (const key of ["created", "updated", "unchanged", "deleted", "failed", "objects"]) {
      if ($("bulk-" + key)) setText("bulk-" + key, number(job[key]));
    }
    // A Validate only job's counts are what the file would do: "Would create", not "Created".
    for (const key of ["created", "updated"]) {
      const label = $("bulk-" + key + "-label");
      if (!label) continue;
      label.dataset.done = label.dataset.done || label.textContent;
      setText(label.id, job.operation_code === "validate" ? label.dataset.preview : label.dataset.done);
    }
    setText("bulk-started", job.started_at || "–");
    setText("bulk-finished", job.finished_at || "–");
    const reason = $("bulk-reason");
    if (reason) {
      reason.textContent = job.failure_reason || "";
      show(reason, Boolean(job.failure_reason));
      show($("bulk-reason-row"), Boolean(job.failure_reason));
    }
    const details = $("bulk-details");
    if (details) details.href = job.details_url;
    show($("bulk-cancel"), job.active);
    show($("bulk-status-background"), job.active);
    for (const [id, url] of [
      ["bulk-errors", job.errors_url],
      ["bulk-result", job.result_url],
    ]) {
      const link = $(id);
      if (link) {
        link.href = url || "#";
        show(link, Boolean(url) && !job.active);
      }
    }
  }

  // Follows a job until it ends; then onEnd (the details page reloads what only the server draws).
  function follow(job, onEnd) {
    renderJob(job);
    if (!job.active) return;
    poll(
      () => job.status_url,
      (data) => {
        renderJob(data.job);
        if (data.job.active) return true;
        if (onEnd) onEnd(data.job);
        return false;
      },
    );
  }

  function setUpDialog() {
    const dialog = $("bulk-dialog");
    const opener = $("bulk-new");
    if (!dialog || !opener) return;
    const form = $("bulk-form");
    const objectSelect = $("bulk-object");
    const fileInput = $("bulk-file");
    const upload = $("bulk-upload");
    const exportAll = $("bulk-export-all");
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
      $("bulk-file-name").textContent = file
        ? interpolate(gettext("%(name)s (%(size)s KB)"), { name: file.name, size: number(Math.ceil(file.size / 1024)) }, true)
        : "";
      upload.disabled = !file;
    }

    function fileFormat() {
      const option = chosenOption();
      const table = option && ["csv", "package"].includes(option.dataset.kind);
      return table && $("bulk-format-xlsx").checked ? "xlsx" : "csv";
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
        // A Zip object (audio files) has neither a template nor a workbook export; the whole
        // configuration is a Zip of CSV files or a workbook.
        const kind = option.dataset.kind;
        const tables = kind === "csv" || kind === "package";
        $("bulk-template").href = option.dataset.template + (fileFormat() === "xlsx" ? "?file_format=xlsx" : "");
        show($("bulk-template-row"), tables);
        show($("bulk-format-row"), tables);
        show($("bulk-encoding-row"), tables);
        const csvLabel = $("bulk-format-csv-label");
        csvLabel.dataset.table = csvLabel.dataset.table || csvLabel.textContent;
        csvLabel.textContent = kind === "package" ? csvLabel.dataset.package : csvLabel.dataset.table;
        const errorsLink = $("bulk-errors");
        errorsLink.dataset.table = errorsLink.dataset.table || errorsLink.textContent;
        errorsLink.textContent = kind === "package" ? errorsLink.dataset.package : errorsLink.dataset.table;
        const workbook = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        fileInput.accept = {
          zip: ".zip,application/zip",
          package: ".zip,application/zip," + workbook,
        }[kind] || ".csv,text/csv," + workbook;
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
      } else {
        data.append("file_format", fileFormat());
      }
      upload.disabled = true;
      exportAll.disabled = true;
      try {
        const response = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
        const body = await response
          .json()
          .catch(() => ({ error: interpolate(gettext("The server answered %(status)s."), { status: response.status }, true) }));
        if (!response.ok) {
          showError(body.error || gettext("The operation could not be started."));
          return;
        }
        finished = true;
        show($("bulk-choose"), false);
        show($("bulk-status"), true);
        follow(body.job);
      } catch (failure) {
        showError(interpolate(gettext("The upload did not reach the server: %(error)s"), { error: failure.message }, true));
      } finally {
        upload.disabled = !fileInput.files[0];
        exportAll.disabled = false;
      }
    }

    opener.addEventListener("click", () => dialog.showModal());
    objectSelect.addEventListener("change", refreshSteps);
    $("bulk-mode-import").addEventListener("change", refreshSteps);
    $("bulk-mode-export").addEventListener("change", refreshSteps);
    $("bulk-format-csv").addEventListener("change", refreshSteps);
    $("bulk-format-xlsx").addEventListener("change", refreshSteps);
    fileInput.addEventListener("change", refreshFile);
    $("bulk-file-remove").addEventListener("click", () => {
      fileInput.value = "";
      refreshFile();
    });
    exportAll.addEventListener("click", () => submit("export"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!fileInput.files[0]) {
        showError(gettext("Choose a file to import."));
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

  // The job list keeps itself current while any job is active: each status cell, the New button and
  // the note above the list. It stops polling when no job is active any more.
  function setUpList() {
    const live = $("bulk-live");
    if (!live) return;
    const cells = () => Array.from(document.querySelectorAll(".job-status[data-job]"));
    const anyActive = () => Boolean(live.dataset.active) || cells().some((cell) => cell.dataset.active);
    if (!anyActive()) return;
    const button = $("bulk-new");
    const note = $("bulk-active-note");

    function renderCell(cell, job) {
      cell.className = "job-status job-status-" + job.status;
      cell.dataset.active = job.active ? "1" : "";
      const icon = cell.querySelector(".job-status-icon");
      const text = cell.querySelector(".job-status-text");
      if (icon && icon.textContent !== job.status_icon) icon.textContent = job.status_icon;
      if (text && text.textContent !== job.status_text) text.textContent = job.status_text;
    }

    function renderActive(active) {
      live.dataset.active = active ? String(active.id) : "";
      if (button) {
        const mayStart = Boolean(button.dataset.mayStart);
        button.disabled = Boolean(active) || !mayStart;
        button.title = active ? active.busy_title : mayStart ? "" : live.dataset.noRights;
      }
      if (note) {
        show(note, Boolean(active));
        if (active) {
          setText("bulk-active-text", active.note);
          $("bulk-active-link").href = active.details_url;
        }
      }
    }

    poll(
      () => live.dataset.url + "?ids=" + cells().map((cell) => cell.dataset.job).join(","),
      (data) => {
        const byId = new Map(data.jobs.map((job) => [String(job.id), job]));
        for (const cell of cells()) {
          const job = byId.get(cell.dataset.job);
          if (job) renderCell(cell, job);
        }
        renderActive(data.active);
        return anyActive();
      },
    );
  }

  // The details page: every field live until the job ends, then the parts only the server draws
  // (Import this file, Revert, the changes) are fetched once and put in place.
  function setUpDetails() {
    const holder = $("bulk-job-data");
    if (!holder) return;
    const cancel = $("bulk-cancel");
    if (cancel && cancel.dataset.confirm) {
      cancel.addEventListener("submit", (event) => {
        if (!window.confirm(cancel.dataset.confirm)) event.preventDefault();
      });
    }
    follow(JSON.parse(holder.textContent), async () => {
      try {
        const response = await fetch(window.location.href, { credentials: "same-origin" });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.getElementById("content-main");
        const current = $("content-main");
        if (fresh && current) {
          current.replaceWith(document.adoptNode(fresh));
          setUpDetails();
        }
      } catch (error) {
        // The fields are already current; a reload shows the rest.
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpDialog();
    setUpList();
    setUpDetails();
  });
})();
