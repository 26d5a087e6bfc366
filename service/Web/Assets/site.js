// The web UI's only script: conveniences on top of pages that read fine without it. Uploads, predict and
// promotion go to the API with the page's antiforgery token; parts marked data-live refresh themselves in place.
"use strict";
(() => {
  const token = document.querySelector('meta[name="request-verification-token"]')?.content ?? "";
  const headers = () => ({ "RequestVerificationToken": token, "Accept": "application/json" });
  const $ = (id) => document.getElementById(id);

  /** A problem details answer as one sentence a person can act on. */
  async function problemOf(response) {
    try {
      const p = await response.json();
      return `${p.title ?? response.statusText}${p.detail ? ": " + p.detail : ""}`;
    } catch { return `${response.status} ${response.statusText}`; }
  }

  function say(element, text, kind) {
    if (!element) return;
    element.textContent = text;
    element.className = "status" + (kind ? " " + kind : "");
  }

  // Live parts: fetch this page again and swap the element with the same id, until the server stops marking it live.
  for (const live of document.querySelectorAll("[data-live]")) {
    const id = live.id, every = Number(live.dataset.live) || 2000;
    const timer = setInterval(async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(location.href, { headers: { "Accept": "text/html" } });
        if (!response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById(id);
        const current = document.getElementById(id);
        if (!fresh || !current) return;
        current.replaceWith(fresh);
        if (!fresh.hasAttribute("data-live")) clearInterval(timer);
      } catch { /* the next tick tries again */ }
    }, every);
  }

  // Forms that post to the API without leaving the page: promote / roll back, and "Retrain now". Delegated from the
  // document, so a form inside a part that refreshed itself in place keeps working.
  const actions = {
    promote: { busy: "Promoting…", status: () => $("action-status"), done: async () => location.reload() },
    // Delete or move a dataset image: the answer is the new dataset version; show it.
    dataset: {
      busy: "Writing a new dataset version…", status: () => $("action-status"), body: (form) => new FormData(form),
      done: async (response) => { const v = await response.json(); location.assign(`/datasets/${Number(v.version)}`); },
    },
    retrain: {
      busy: "Asking for a retrain…", status: () => $("retrain-status"),
      done: async (response, status) => {
        const retrain = await response.json();
        say(status, response.status === 202 ? `Retrain of dataset version ${retrain.datasetVersion} started.`
          : `Dataset version ${retrain.datasetVersion} is being retrained already (${retrain.state}).`, "ok");
        setTimeout(() => location.reload(), 800);
      },
    },
  };
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest?.("form[data-fetch]"), action = form && actions[form.dataset.fetch];
    if (!action) return;
    event.preventDefault();
    const button = form.querySelector("button"), status = action.status();
    button.disabled = true;
    say(status, action.busy);
    try {
      const response = await fetch(form.action, { method: "POST", headers: headers(), body: action.body?.(form) });
      if (response.ok) { await action.done(response, status); return; }
      say(status, await problemOf(response), "error");
    } catch (e) {
      say(status, `The request failed: ${e.message}`, "error");
    }
    button.disabled = false;
  });

  // Predict: preview the chosen image, then show the top labels as bars, with a hint when the model is unsure.
  const predictForm = $("predict-form");
  if (predictForm) {
    const input = $("predict-image"), preview = $("predict-preview"), output = $("predict-output"), caption = $("predict-file");
    const busy = $("predict-busy"), button = predictForm.querySelector("button[type=submit]");
    const threshold = Number(predictForm.dataset.lowConfidence ?? "0");
    // A file the browser cannot show (not an image, or a broken one) gets a sentence, never a broken-image icon.
    preview.addEventListener("error", () => {
      if (!input.files[0]) return;
      preview.hidden = true;
      preview.removeAttribute("src");
      caption.textContent = `${input.files[0].name}: this file cannot be shown as an image; predict will say why if it is not one.`;
      caption.dataset.unviewable = "true";
    });
    input.addEventListener("change", () => {
      const file = input.files[0];
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.hidden = true;
      preview.removeAttribute("src");
      delete caption.dataset.unviewable;
      caption.textContent = file ? file.name : "No image chosen";
      output.replaceChildren();
      if (!file) return;
      if (file.type && !file.type.startsWith("image/")) {
        caption.textContent = `${file.name} is not an image (${file.type}).`;
        caption.dataset.unviewable = "true";
        return;
      }
      // Shown once decoded: a file that fails to decode never appears as a broken image.
      preview.addEventListener("load", () => { preview.hidden = false; }, { once: true });
      preview.src = URL.createObjectURL(file);
    });
    predictForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.files[0]) { input.focus(); return; }
      const body = new FormData();
      body.append("image", input.files[0]);
      output.setAttribute("aria-busy", "true");
      busy.hidden = false;
      button.disabled = true;
      let response;
      try {
        response = await fetch(predictForm.action, { method: "POST", body, headers: headers() });
      } catch (e) {
        const p = document.createElement("p");
        p.className = "error";
        p.textContent = `The request failed: ${e.message}`;
        output.replaceChildren(p);
        return;
      } finally {
        output.removeAttribute("aria-busy");
        busy.hidden = true;
        button.disabled = false;
      }
      if (!response.ok) {
        const p = document.createElement("p");
        p.className = "error";
        p.textContent = await problemOf(response);
        output.replaceChildren(p);
        return;
      }
      const result = await response.json();
      const heading = document.createElement("p");
      heading.innerHTML = `<strong></strong> by model v${Number(result.modelVersion)}`;
      heading.querySelector("strong").textContent = result.label;
      const list = document.createElement("ol");
      list.className = "topk";
      list.setAttribute("aria-label", "Most likely labels");
      for (const { label, score } of result.top) {
        const item = document.createElement("li");
        item.dataset.label = label;
        item.dataset.score = String(score);
        item.innerHTML = '<span class="label"></span><span class="bar" aria-hidden="true"><span></span></span><span class="score"></span>';
        item.querySelector(".label").textContent = label;
        item.querySelector(".bar span").style.width = `${(score * 100).toFixed(1)}%`;
        item.querySelector(".score").textContent = `${(score * 100).toFixed(1)}%`;
        list.append(item);
      }
      const parts = [heading, list];
      if (result.score < threshold) {
        const hint = document.createElement("p");
        hint.className = "hint";
        hint.id = "low-confidence";
        hint.textContent = `Low confidence: ${(result.score * 100).toFixed(1)}% is below ${(threshold * 100).toFixed(0)}%. ` +
          "The model is unsure; the image may show none of the labels it knows.";
        parts.push(hint);
      }
      output.replaceChildren(...parts);
    });
  }

  // Upload: a .zip as is, a folder zipped here (the API takes one .zip of <label>/<image>), or images with a label.
  const uploadForm = $("upload-form");
  if (uploadForm) {
    const status = $("upload-status"), button = uploadForm.querySelector("button[type=submit]");

    async function send(body) {
      button.disabled = true;
      say(status, "Uploading…");
      try {
        const response = await fetch(uploadForm.action, { method: "POST", body, headers: headers() });
        if (response.status === 202) {
          const drop = await response.json();
          say(status, `Received as drop ${drop.id}. Following it…`, "ok");
          location.assign(`/drops/${encodeURIComponent(drop.id)}`);
          return;
        }
        say(status, await problemOf(response), "error");
      } catch (e) {
        say(status, `The upload failed: ${e.message}`, "error");
      } finally {
        button.disabled = false;
      }
    }

    async function sendFiles(files, name) {
      if (files.length === 0) { say(status, "That folder holds no files.", "error"); return; }
      say(status, `Packing ${files.length} files…`);
      const body = new FormData();
      body.append("file", await zip(files), `${name || "drop"}.zip`);
      await send(body);
    }

    function sendLoose(files) {
      const label = $("upload-label").value.trim();
      if (!label) { say(status, "Loose images need a label: type it in the Label field.", "error"); $("upload-label").focus(); return; }
      const body = new FormData();
      body.append("label", label);
      for (const f of files) body.append("files", f);
      return send(body);
    }

    uploadForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const zipFile = $("upload-zip").files[0], folder = [...$("upload-folder").files], images = [...$("upload-images").files];
      if (zipFile) {
        const body = new FormData();
        body.append("file", zipFile);
        await send(body);
      } else if (folder.length > 0) {
        // webkitRelativePath is <chosen folder>/<label>/<image>: the chosen folder is the drop.
        const root = folder[0].webkitRelativePath.split("/")[0];
        await sendFiles(folder.map((f) => ({ path: f.webkitRelativePath.split("/").slice(1).join("/"), file: f })), root);
      } else if (images.length > 0) {
        await sendLoose(images);
      } else {
        say(status, "Choose a .zip, a folder or images first.", "error");
      }
    });

    const zone = $("dropzone");
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", async (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const entries = [...event.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
      const dirs = entries.filter((e) => e.isDirectory), loose = entries.filter((e) => e.isFile);
      if (dirs.length === 0 && loose.length === 1 && loose[0].name.toLowerCase().endsWith(".zip")) {
        const body = new FormData();
        body.append("file", await fileOf(loose[0]));
        await send(body);
      } else if (dirs.length === 0) {
        await sendLoose(await Promise.all(loose.map(fileOf)));
      } else {
        const files = [];
        for (const entry of entries) await walk(entry, files);
        // One folder dropped: it is the drop, its subfolders the labels. Several: each is a label folder.
        const strip = dirs.length === 1 && loose.length === 0 ? dirs[0].name.length + 1 : 0;
        await sendFiles(files.map(({ path, file }) => ({ path: path.slice(strip), file })), dirs.length === 1 ? dirs[0].name : "drop");
      }
    });
  }

  function fileOf(entry) { return new Promise((resolve, reject) => entry.file(resolve, reject)); }

  async function walk(entry, files) {
    if (entry.isFile) { files.push({ path: entry.fullPath.replace(/^\//, ""), file: await fileOf(entry) }); return; }
    const reader = entry.createReader();
    // readEntries answers in batches; an empty batch means done.
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) return;
      for (const child of batch) await walk(child, files);
    }
  }

  // A stored (uncompressed) zip: images are compressed already, and this keeps the writer to a few lines.
  // Every entry is dated 1980-01-01 (DOS date 0x21): the service ignores dates, and 0 is not a valid one.
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  function crc32(bytes) {
    let c = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  async function zip(files) {
    const parts = [], central = [], encoder = new TextEncoder();
    let offset = 0;
    for (const { path, file } of files) {
      const name = encoder.encode(path), data = new Uint8Array(await file.arrayBuffer()), crc = crc32(data);
      const local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true); local.setUint16(4, 20, true); local.setUint16(6, 0x0800, true); local.setUint16(12, 0x21, true);
      local.setUint32(14, crc, true); local.setUint32(18, data.length, true); local.setUint32(22, data.length, true);
      local.setUint16(26, name.length, true);
      const entry = new DataView(new ArrayBuffer(46));
      entry.setUint32(0, 0x02014b50, true); entry.setUint16(4, 20, true); entry.setUint16(6, 20, true); entry.setUint16(8, 0x0800, true); entry.setUint16(14, 0x21, true);
      entry.setUint32(16, crc, true); entry.setUint32(20, data.length, true); entry.setUint32(24, data.length, true);
      entry.setUint16(28, name.length, true); entry.setUint32(42, offset, true);
      parts.push(local, name, data);
      central.push(entry, name);
      offset += 30 + name.length + data.length;
    }
    const size = central.reduce((n, p) => n + p.byteLength, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true); end.setUint16(8, files.length, true); end.setUint16(10, files.length, true);
    end.setUint32(12, size, true); end.setUint32(16, offset, true);
    return new Blob([...parts, ...central, end], { type: "application/zip" });
  }
})();
