/* Crossroads chat client: live messages over a WebSocket, in order, with catch-up after every
   reconnect, a typing indicator, read markers, and the unread badge in the navigation.
   Without this script every page still works: the form posts the message, the page shows history. */
(function () {
  "use strict";

  var nav = document.querySelector("[data-chat-nav]");
  if (!nav) { return; }
  var badge = nav.querySelector("[data-chat-unread]");
  var root = document.getElementById("chat");
  var live = root && root.dataset.live === "true";
  var log = live ? root.querySelector("[data-chat-log]") : null;
  var form = live ? root.querySelector("[data-chat-form]") : null;
  var textarea = form ? form.querySelector("textarea") : null;
  var statusLine = live ? root.querySelector("[data-chat-status]") : null;
  var typingLine = live ? root.querySelector("[data-chat-typing]") : null;
  var errorLine = live ? root.querySelector("[data-chat-error]") : null;
  var userId = live ? Number(root.dataset.userId) : 0;
  var lastId = live ? Number(root.dataset.lastId) : 0;
  var editWindowMs = live ? Number(root.dataset.editWindow) * 60000 : 0;
  var timeZone = live ? root.dataset.timezone : undefined;
  var socket = null;
  var attempts = 0;
  var pingTimer = null;
  var typingTimer = null;
  var readTimer = null;
  var lastTypingSent = 0;
  var RETRY_MAX_MS = 30000;

  function setStatus(text) { if (statusLine) { statusLine.textContent = text; } }

  function setBadge(total) {
    badge.textContent = String(total);
    badge.hidden = !total;
  }

  function setInboxCount(conversation, count) {
    var cell = document.querySelector('[data-unread-for="' + conversation + '"]');
    if (!cell) { return; }
    cell.textContent = String(count);
    cell.hidden = !count;
    cell.closest("li").classList.toggle("unread", count > 0);
  }

  function socketUrl() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var path = live ? root.dataset.socket + "?after=" + lastId : nav.dataset.socket;
    return scheme + location.host + path;
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function formatTime(iso) {
    var options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false };
    try { return new Date(iso).toLocaleString("en-GB", Object.assign({ timeZone: timeZone }, options)); }
    catch (error) { return new Date(iso).toLocaleString("en-GB", options); }
  }

  function fillBody(element, message) {
    var body = element.querySelector(".chat-body");
    if (message.deleted) {
      body.textContent = "";
      var em = document.createElement("em");
      em.textContent = "Message deleted";
      body.appendChild(em);
      element.classList.add("deleted");
      var actions = element.querySelector(".chat-actions");
      if (actions) { actions.remove(); }
    } else {
      body.innerHTML = message.html;  // escaped and linkified by the server (chat.text.linkify)
    }
    element.querySelector(".chat-edited").hidden = !message.edited_at || message.deleted;
  }

  function buildMessage(message) {
    var item = document.createElement("li");
    item.className = "chat-message";
    item.id = "m" + message.id;
    item.dataset.id = String(message.id);
    var own = message.sender && message.sender.id === userId;
    if (own) { item.classList.add("own"); }
    var meta = document.createElement("div");
    meta.className = "meta";
    var name = document.createElement("strong");
    name.textContent = message.sender ? message.sender.name : "A former member";
    var time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = formatTime(message.created_at);
    var edited = document.createElement("span");
    edited.className = "chat-edited";
    edited.textContent = " · edited";
    meta.append(name, " · ", time, " ", edited);
    var editable = own && Date.now() - Date.parse(message.created_at) < editWindowMs;
    if (!message.deleted && (editable || !own)) {
      var actions = document.createElement("span");
      actions.className = "chat-actions";
      var link = document.createElement("a");
      link.href = own ? root.dataset.editUrl.replace("/0/edit/", "/" + message.id + "/edit/")
        : root.dataset.reportUrl.replace("/0/report/", "/" + message.id + "/report/");
      link.textContent = own ? "Edit or delete" : "Report";
      actions.append(" · ", link);
      meta.append(actions);
    }
    var body = document.createElement("div");
    body.className = "chat-body";
    var readBy = document.createElement("div");
    readBy.className = "meta chat-read-by";
    item.append(meta, body, readBy);
    fillBody(item, message);
    return item;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
  }

  function showMessage(message) {
    var stick = nearBottom();
    var existing = document.getElementById("m" + message.id);
    if (existing) {
      fillBody(existing, message);
    } else {
      var empty = log.querySelector("[data-chat-empty]");
      if (empty) { empty.remove(); }
      log.appendChild(buildMessage(message));
    }
    lastId = Math.max(lastId, message.id);
    if (message.sender && message.sender.id !== userId) {
      typingLine.textContent = "";
      scheduleRead();
    }
    if (stick) { window.scrollTo(0, document.body.scrollHeight); }
  }

  function scheduleRead() {
    if (document.visibilityState !== "visible") { return; }
    clearTimeout(readTimer);
    readTimer = setTimeout(function () { send({ type: "read", up_to: lastId }); }, 300);
  }

  function moveReadMarker(readerId, upTo) {
    if (root.dataset.readState !== "true" || readerId === userId) { return; }
    var person = root.querySelector('[data-chat-participants] [data-user-id="' + readerId + '"]');
    if (!person) { return; }
    var target = null;
    log.querySelectorAll(".chat-message").forEach(function (item) {
      if (Number(item.dataset.id) <= upTo) { target = item; }
    });
    if (!target) { return; }
    log.querySelectorAll('[data-reader="' + readerId + '"]').forEach(function (marker) { marker.remove(); });
    var marker = document.createElement("span");
    marker.dataset.reader = String(readerId);
    marker.textContent = person.dataset.name;
    target.querySelector(".chat-read-by").appendChild(marker);
  }

  function showTyping(user) {
    typingLine.textContent = user.name + " is typing…";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  }

  function showError(text) {
    if (!errorLine) { return; }
    errorLine.textContent = text;
    errorLine.hidden = !text;
  }

  function handle(frame) {
    switch (frame.type) {
      case "message": showMessage(frame.message); break;
      case "message.updated": if (document.getElementById("m" + frame.message.id)) { showMessage(frame.message); } break;
      case "typing": showTyping(frame.user); break;
      case "read": moveReadMarker(frame.user_id, frame.up_to); break;
      case "unread":
        setBadge(frame.total);
        if (frame.conversation !== null) { setInboxCount(frame.conversation, frame.count); }
        break;
      case "ready": setStatus("Connected: new messages appear as they are sent."); scheduleRead(); break;
      case "ack": if (textarea) { textarea.value = ""; } showError(""); break;
      case "error": showError(frame.message); break;
      default: break;
    }
  }

  function connect() {
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", function () {
      attempts = 0;
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
    });
    socket.addEventListener("message", function (event) { handle(JSON.parse(event.data)); });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        setStatus(event.code === 4403 ? "You are no longer in this conversation." : "Log in again to chat.");
        return;
      }
      // Back off exponentially with jitter, so that a restarted server is not stampeded.
      var delay = Math.min(RETRY_MAX_MS, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      setStatus("Reconnecting…");
      setTimeout(connect, delay);
    });
  }

  if (live && form && textarea) {
    form.addEventListener("submit", function (event) {
      var body = textarea.value.trim();
      if (!body) { return; }
      // With the socket down, the form posts as it does without JavaScript.
      if (send({ type: "message.send", body: body, client_id: String(Date.now()) })) {
        event.preventDefault();
        lastTypingSent = 0;  // the next keystroke starts a new message: announce it at once
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    textarea.addEventListener("input", function () {
      if (Date.now() - lastTypingSent > 3000 && send({ type: "typing" })) { lastTypingSent = Date.now(); }
    });
    document.addEventListener("visibilitychange", scheduleRead);
  }
  connect();
}());
