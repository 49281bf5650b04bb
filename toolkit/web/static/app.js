// 学情网页版: uploads (files, folders, drag and drop), job polling, fragment refresh.
// Plain JavaScript, no build step and nothing from the internet.
"use strict";

(function () {
  const ACCEPTED = [".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv", ".zip"];
  const body = document.body;
  const maxBytes = Number(body.dataset.maxBytes || 0);
  const maxMb = body.dataset.maxMb || "";
  const status = document.getElementById("upload-status");
  const polling = new Set();

  function accepted(name) {
    const lower = name.toLowerCase();
    return ACCEPTED.some((suffix) => lower.endsWith(suffix));
  }

  function say(html, kind) {
    status.innerHTML = "";
    const p = document.createElement("p");
    p.className = kind || "notice";
    p.textContent = html;
    status.appendChild(p);
    return p;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then((response) =>
      response
        .json()
        .catch(() => ({ ok: false, message: "服务器没有正常回应（" + response.status + "）。请刷新页面后重试。" }))
        .then((json) => Object.assign({ status: response.status }, json))
    );
  }

  // ------------------------------------------------------------------ uploads

  function upload(entries) {
    const files = entries.filter((e) => accepted(e.path));
    const skipped = entries.length - files.length;
    if (!files.length) {
      say(entries.length ? "没有可读取的表格文件（支持 .xlsx .xlsm .xls .ods .csv 和 .zip）。" : "没有选择文件。", "error");
      return;
    }
    const total = files.reduce((sum, e) => sum + e.file.size, 0);
    if (maxBytes && total > maxBytes) {
      say("选择的文件太大：共 " + (total / 1048576).toFixed(1) + " MB，一次最多 " + maxMb + " MB。请分几次上传，或只上传需要的文件夹。", "error");
      return;
    }
    const data = new FormData();
    files.forEach((e) => data.append("files", e.file, e.path));
    const line = say("正在上传 " + files.length + " 个文件……", "notice");
    const request = new XMLHttpRequest();
    request.open("POST", "/upload");
    request.setRequestHeader("X-Requested-With", "fetch");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        line.textContent = "正在上传 " + files.length + " 个文件…… " + Math.round((100 * event.loaded) / event.total) + "%";
      }
    };
    request.onerror = () => say("上传失败：连接中断。请确认 xueqing serve 仍在运行，文件不超过 " + maxMb + " MB，然后重试。", "error");
    request.onload = () => {
      let reply;
      try {
        reply = JSON.parse(request.responseText);
      } catch (err) {
        reply = { ok: false, message: "上传失败（" + request.status + "）。请重试。" };
      }
      if (request.status !== 200) {
        say(reply.message || "上传失败。", "error");
        return;
      }
      showUploadReply(reply, skipped);
      if (reply.job) {
        refreshResults().then(() => watchDetection(reply.job));
      }
    };
    request.send(data);
  }

  function showUploadReply(reply, skipped) {
    status.innerHTML = "";
    (reply.notices || []).forEach((text) => {
      const p = document.createElement("p");
      p.className = "notice";
      p.textContent = text;
      status.appendChild(p);
    });
    if (skipped) {
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = "另有 " + skipped + " 个不是表格的文件没有上传。";
      status.appendChild(p);
    }
    if (reply.rejected && reply.rejected.length) {
      const box = document.createElement("div");
      box.className = "rejected";
      const p = document.createElement("p");
      p.textContent = "以下文件未保存：";
      box.appendChild(p);
      const list = document.createElement("ul");
      reply.rejected.forEach((r) => {
        const li = document.createElement("li");
        const code = document.createElement("code");
        code.textContent = r.name;
        li.appendChild(code);
        li.appendChild(document.createTextNode("：" + r.reason));
        list.appendChild(li);
      });
      box.appendChild(list);
      status.appendChild(box);
    }
  }

  function fromFileList(list) {
    return Array.from(list).map((file) => ({ file: file, path: file.webkitRelativePath || file.name }));
  }

  function readEntry(entry, prefix) {
    if (entry.isFile) {
      return new Promise((resolve) => entry.file((file) => resolve([{ file: file, path: prefix + file.name }]), () => resolve([])));
    }
    if (!entry.isDirectory) return Promise.resolve([]);
    const reader = entry.createReader();
    const all = [];
    return new Promise((resolve) => {
      const next = () =>
        reader.readEntries((batch) => {
          if (!batch.length) {
            Promise.all(all.map((child) => readEntry(child, prefix + entry.name + "/"))).then((lists) => resolve([].concat(...lists)));
            return;
          }
          all.push(...batch);
          next();
        }, () => resolve([]));
      next();
    });
  }

  function onDrop(event) {
    event.preventDefault();
    drop.classList.remove("over");
    const items = Array.from(event.dataTransfer.items || []);
    const entries = items.map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) {
      Promise.all(entries.map((entry) => readEntry(entry, ""))).then((lists) => upload([].concat(...lists)));
    } else {
      upload(fromFileList(event.dataTransfer.files));
    }
  }

  const drop = document.getElementById("drop");
  if (drop) {
    ["dragenter", "dragover"].forEach((name) =>
      drop.addEventListener(name, (event) => {
        event.preventDefault();
        drop.classList.add("over");
      })
    );
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", onDrop);
  }
  ["pick-files", "pick-folder"].forEach((id) => {
    const input = document.getElementById(id);
    if (input) {
      input.addEventListener("change", () => {
        upload(fromFileList(input.files));
        input.value = "";
      });
    }
  });

  // ------------------------------------------------------------------ results and jobs

  function refreshResults() {
    return fetch("/found", { credentials: "same-origin" })
      .then((r) => r.text())
      .then((html) => {
        document.getElementById("results").innerHTML = html;
        bindForms();
        const detecting = document.getElementById("detecting");
        if (detecting) watchDetection(detecting.dataset.job);
      });
  }

  function watchDetection(jobId) {
    if (!jobId || polling.has("detect-" + jobId)) return;
    polling.add("detect-" + jobId);
    const started = Date.now();
    const tick = () => {
      fetch("/jobs/" + jobId, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((job) => {
          const box = document.getElementById("detecting");
          if (box) {
            const el = box.querySelector(".elapsed");
            if (el) el.textContent = "（" + (job.elapsed || Math.round((Date.now() - started) / 1000)) + " 秒）";
          }
          if (job.finished) {
            polling.delete("detect-" + jobId);
            refreshResults().then(refreshParts);
          } else {
            setTimeout(tick, 600);
          }
        })
        .catch(() => setTimeout(tick, 2000));
    };
    tick();
  }

  function refreshParts() {
    // The file count and the templates link (which depends on a school config being found).
    fetch("/", { credentials: "same-origin" })
      .then((r) => r.text())
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        ["uploaded", "blank"].forEach((id) => {
          const fresh = doc.getElementById(id);
          const here = document.getElementById(id);
          if (fresh && here) here.innerHTML = fresh.innerHTML;
        });
        bindClear();
      });
  }

  function addJobCard(html) {
    const list = document.getElementById("job-list");
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const card = holder.firstElementChild;
    list.insertBefore(card, list.firstChild);
    const empty = document.getElementById("no-jobs");
    if (empty) empty.hidden = true;
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
    watchJob(card.dataset.job);
  }

  function watchJob(jobId) {
    if (!jobId || polling.has(jobId)) return;
    polling.add(jobId);
    const tick = () => {
      fetch("/jobs/" + jobId, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((job) => {
          const card = document.getElementById("job-" + jobId);
          if (!card) return polling.delete(jobId);
          if (!job.finished) {
            card.querySelector(".state").textContent = job.state === "queued" ? "排队中" : "正在生成";
            card.querySelector(".elapsed").textContent = job.state === "queued" ? "" : "已用 " + job.elapsed + " 秒";
            const stage = card.querySelector(".stage");
            if (stage) stage.textContent = job.stage;
            setTimeout(tick, 700);
            return;
          }
          polling.delete(jobId);
          fetch("/jobs/" + jobId + "/card", { credentials: "same-origin" })
            .then((r) => r.text())
            .then((html) => {
              const holder = document.createElement("div");
              holder.innerHTML = html.trim();
              card.replaceWith(holder.firstElementChild);
            });
        })
        .catch(() => setTimeout(tick, 2000));
    };
    tick();
  }

  function bindForms() {
    document.querySelectorAll("form.report, form.annotate-form").forEach((form) => {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        post(form.action, new FormData(form))
          .then((reply) => {
            if (reply.ok && reply.card) {
              addJobCard(reply.card);
            } else {
              alert(reply.message || "无法开始生成。");
            }
          })
          .catch(() => alert("无法连接 xueqing serve。请确认它仍在运行。"))
          .finally(() => {
            if (button) button.disabled = false;
          });
      });
    });
  }

  function bindClear() {
    const clear = document.getElementById("clear-form");
    if (clear && !clear.dataset.bound) {
      clear.dataset.bound = "1";
      clear.addEventListener("submit", (event) => {
        if (!confirm("清空已上传的文件和生成的报告？")) event.preventDefault();
      });
    }
  }

  bindForms();
  bindClear();
  const detecting = document.getElementById("detecting");
  if (detecting) watchDetection(detecting.dataset.job);
  document.querySelectorAll("article.job").forEach((card) => {
    if (card.dataset.state === "queued" || card.dataset.state === "running") watchJob(card.dataset.job);
  });
})();
