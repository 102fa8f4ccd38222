/* Crossroads chat client: live messages over a WebSocket, in order, with catch-up after every
   reconnect (new messages, and edits and reactions missed while away), replies, reactions, files,
   who is online, a typing indicator, read markers, and the unread badge in the navigation.
   Without this script every page still works: the form posts the message (with its files and the
   message it replies to), reactions are small forms, the page shows history.
   Words come from the page language's catalogue (Django's JavaScriptCatalog: gettext, ngettext,
   interpolate), loaded before this script; dates and times from Intl in the page's language. */
(function () {
  "use strict";

  var nav = document.querySelector("[data-chat-nav]");
  if (!nav) { return; }
  var badge = nav.querySelector("[data-chat-unread]");
  var root = document.getElementById("chat");
  var live = root && root.dataset.live === "true";
  var scroller = root ? root.querySelector("[data-chat-scroll]") : null;
  var log = live ? root.querySelector("[data-chat-log]") : null;
  var form = live ? root.querySelector("[data-chat-form]") : null;
  var textarea = form ? form.querySelector("textarea") : null;
  var fileInput = form ? form.querySelector("input[type=file]") : null;
  var replyInput = form ? form.querySelector("input[name=reply_to]") : null;
  var replying = form ? form.querySelector("[data-chat-replying]") : null;
  var selectedLine = form ? form.querySelector("[data-chat-selected]") : null;
  var statusLine = live ? root.querySelector("[data-chat-status]") : null;
  var typingLine = live ? root.querySelector("[data-chat-typing]") : null;
  var errorLine = live ? root.querySelector("[data-chat-error]") : null;
  var gettext = window.gettext;
  var interpolate = window.interpolate;
  // {code: {symbol, label}}: the reactions, named in the reader's language by the page.
  var reactions = root && root.dataset.reactions ? JSON.parse(root.dataset.reactions) : {};
  var userId = live ? Number(root.dataset.userId) : 0;
  var lastId = live ? Number(root.dataset.lastId) : 0;
  var seq = live ? Number(root.dataset.seq) : 0;
  var editWindowMs = live ? Number(root.dataset.editWindow) * 60000 : 0;
  var timeZone = live ? root.dataset.timezone : undefined;
  var lang = document.documentElement.lang || "en";
  // The log announces new messages to screen readers (role="log", polite), but not the catch-up that
  // follows each (re)connection: it stays silent from connecting until the server says "ready".
  var logRegion = live ? root.querySelector("[data-chat-log-region]") : null;
  var csrfInput = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
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

  function setOnline(id, online) {
    document.querySelectorAll('[data-presence-for="' + id + '"], [data-presence-label="' + id + '"]')
      .forEach(function (node) { node.hidden = !online; });
  }

  function socketUrl() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var path = live ? root.dataset.socket + "?after=" + lastId + "&changes=" + seq : nav.dataset.socket;
    return scheme + location.host + path;
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function announce(on) { if (logRegion) { logRegion.setAttribute("aria-live", on ? "polite" : "off"); } }

  function local(iso, options) {
    var when = new Date(iso);
    try { return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: timeZone }, options)).format(when); }
    catch (error) { return new Intl.DateTimeFormat(lang, options).format(when); }  // an unknown zone: the browser's
  }

  function dayKey(iso) { return local(iso, { year: "numeric", month: "2-digit", day: "2-digit" }); }
  function minuteKey(iso) { return dayKey(iso) + " " + local(iso, { hour: "2-digit", minute: "2-digit", hour12: false }); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function hidden(text) { return el("span", "visually-hidden", text); }

  function messageUrl(kind, id) {
    return root.dataset[kind + "Url"].replace("/0/", "/" + id + "/");
  }

  function reactForm(id, emoji, content) {
    var box = el("form", "inline-form");
    box.method = "post";
    box.action = messageUrl("react", id);
    if (csrfInput) { box.appendChild(csrfInput.cloneNode()); }
    var button = el("button");
    button.type = "submit";
    button.name = "emoji";
    button.value = emoji;
    button.dataset.emoji = emoji;
    content(button);
    box.appendChild(button);
    return box;
  }

  function fillReactions(element, message) {
    var box = element.querySelector("[data-reactions]");
    box.textContent = "";
    (message.reactions || []).forEach(function (reaction) {
      var names = reaction.users.map(function (u) { return u.name; }).join(", ");
      box.appendChild(reactForm(message.id, reaction.emoji, function (button) {
        button.className = "chat-reaction";
        button.title = names;
        button.setAttribute("aria-pressed", String(reaction.users.some(function (u) { return u.id === userId; })));
        var symbol = el("span", "", reaction.symbol);
        symbol.setAttribute("aria-hidden", "true");
        button.append(symbol, " " + reaction.count, hidden(" " + reactionLabel(reaction.emoji) + ": " + names));
      }));
    });
  }

  function fillFiles(element, message) {
    var list = element.querySelector(".chat-files");
    if (list) { list.remove(); }
    if (message.deleted || !message.files || !message.files.length) { return; }
    list = el("ul", "chat-files");
    message.files.forEach(function (file) {
      var item = el("li");
      var link = el("a", file.is_image ? "chat-image" : "chat-file");
      link.href = file.url;
      link.setAttribute("download", "");
      if (file.is_image) {
        var img = el("img");
        img.src = file.thumbnail_url;
        img.alt = file.name;
        if (file.width) { img.width = file.width; img.height = file.height; }
        link.appendChild(img);
      } else {
        link.textContent = file.name;
      }
      item.append(link, " ", el("span", "meta", readableSize(file.size)));
      list.appendChild(item);
    });
    element.querySelector(".chat-body").after(list);
  }

  function reactionLabel(code) { return reactions[code] ? reactions[code].label : code; }

  function readableSize(size) {
    var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    if (size >= 1048576) { return interpolate(gettext("%(size)s MB"), { size: number.format(size / 1048576) }, true); }
    if (size >= 1024) { return interpolate(gettext("%(size)s KB"), { size: number.format(Math.round(size / 1024)) }, true); }
    return interpolate(window.ngettext("%(size)s byte", "%(size)s bytes", size), { size: number.format(size) }, true);
  }

  function fillBody(element, message) {
    var body = element.querySelector(".chat-body");
    if (message.deleted) {
      body.textContent = "";
      body.appendChild(el("em", "", gettext("Message deleted")));
      element.classList.add("deleted");
      var tools = element.querySelector(".chat-tools");
      if (tools) { tools.remove(); }
    } else {
      body.innerHTML = message.html;  // escaped and linkified by the server (chat.text.linkify)
    }
    element.querySelector(".chat-edited").hidden = !message.edited_at || message.deleted;
    fillFiles(element, message);
    fillReactions(element, message);
  }

  function buildQuote(reply) {
    var quote = el("a", "chat-quote");
    quote.href = root.dataset.conversationUrl + "?around=" + reply.id + "#m" + reply.id;
    quote.dataset.jump = String(reply.id);
    var text = el("span");
    if (reply.deleted) { text.appendChild(el("em", "", gettext("Message deleted"))); } else { text.textContent = reply.excerpt; }
    quote.append(hidden(gettext("In reply to")), el("strong", "", reply.sender || gettext("A former member")), " ", text);
    return quote;
  }

  function buildTools(message, own) {
    var tools = el("div", "chat-tools");
    var reply = el("a", "chat-reply", gettext("Reply"));
    reply.href = root.dataset.conversationUrl + "?reply=" + message.id + "#composer";
    reply.dataset.reply = String(message.id);
    var picker = el("details", "chat-react-picker");
    picker.appendChild(el("summary", "", gettext("React")));
    var choices = el("div");
    Object.keys(reactions).forEach(function (code) {
      choices.appendChild(reactForm(message.id, code, function (button) {
        button.className = "chat-reaction-choice";
        button.title = reactions[code].label;
        var symbol = el("span", "", reactions[code].symbol);
        symbol.setAttribute("aria-hidden", "true");
        button.append(symbol, hidden(reactions[code].label));
      }));
    });
    picker.appendChild(choices);
    tools.append(reply, " ", picker);
    var editable = own && Date.now() - Date.parse(message.created_at) < editWindowMs;
    if (editable || !own) {
      var actions = el("span", "chat-actions");
      var link = el("a", "", own ? gettext("Edit or delete") : gettext("Report"));
      link.href = messageUrl(own ? "edit" : "report", message.id);
      actions.appendChild(link);
      tools.append(" ", actions);
    }
    return tools;
  }

  function buildMessage(message) {
    var item = el("li", "chat-message");
    item.id = "m" + message.id;
    item.dataset.id = String(message.id);
    item.dataset.sender = message.sender ? String(message.sender.id) : "";
    item.dataset.time = message.created_at;
    var own = message.sender && message.sender.id === userId;
    if (own) { item.classList.add("own"); }
    var avatar = el("span", "avatar");
    avatar.setAttribute("aria-hidden", "true");
    if (message.sender) { avatar.innerHTML = message.sender.face; }  // built by the server's {% avatar %} tag
    var bubble = el("div", "chat-bubble");
    var meta = el("div", "meta chat-meta");
    var time = el("time", "", local(message.created_at, { hour: "2-digit", minute: "2-digit", hour12: false }));
    time.dateTime = message.created_at;
    var edited = el("span", "chat-edited", "· " + gettext("edited"));
    meta.append(el("strong", "chat-sender", message.sender ? message.sender.name : gettext("A former member")), " ", time, " ", edited);
    bubble.appendChild(meta);
    if (message.reply_to) { bubble.appendChild(buildQuote(message.reply_to)); }
    var reactions = el("div", "chat-reactions");
    reactions.dataset.reactions = "";
    // A message keeps its own direction: English in an Arabic page (or Arabic in an English one) reads right.
    var body = el("div", "chat-body");
    body.dir = "auto";
    bubble.append(body, reactions);
    if (!message.deleted) { bubble.appendChild(buildTools(message, own)); }
    bubble.appendChild(el("div", "meta chat-read-by"));
    item.append(avatar, bubble);
    fillBody(item, message);
    return item;
  }

  function lastMessageItem() {
    var items = log.querySelectorAll(".chat-message");
    return items.length ? items[items.length - 1] : null;
  }

  function placeNew(item, message) {
    // A day separator when the day changes; a message that follows its sender's within the minute
    // continues it (no name or avatar), as the page itself renders them.
    var previous = lastMessageItem();
    var day = dayKey(message.created_at);
    if (!previous || dayKey(previous.dataset.time) !== day) {
      var separator = el("li", "chat-day");
      separator.appendChild(el("span", "", local(message.created_at, { weekday: "long", day: "numeric", month: "long", year: "numeric" })));
      log.appendChild(separator);
    } else if (!message.reply_to && previous.dataset.sender === item.dataset.sender
               && minuteKey(previous.dataset.time) === minuteKey(message.created_at)
               && previous === log.lastElementChild) {
      item.classList.add("continues");
    }
    log.appendChild(item);
  }

  function nearBottom() {
    return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 120;
  }

  function toBottom() { scroller.scrollTop = scroller.scrollHeight; }

  function showMessage(message) {
    var stick = nearBottom();
    var existing = document.getElementById("m" + message.id);
    if (existing) {
      fillBody(existing, message);
    } else {
      var empty = log.querySelector("[data-chat-empty]");
      if (empty) { empty.remove(); }
      placeNew(buildMessage(message), message);
    }
    lastId = Math.max(lastId, message.id);
    if (message.sender && message.sender.id !== userId) {
      typingLine.textContent = "";
      scheduleRead();
    }
    if (stick || (message.sender && message.sender.id === userId && !existing)) { toBottom(); }
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
    var marker = el("span", "", person.dataset.name);
    marker.dataset.reader = String(readerId);
    target.querySelector(".chat-read-by").appendChild(marker);
  }

  function showTyping(user) {
    typingLine.textContent = interpolate(gettext("%(name)s is typing…"), { name: user.name }, true);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  }

  // Errors from the socket and from the upload have the API's one shape: {code, message, fields}.
  function errorText(error) {
    var messages = [];
    Object.keys(error.fields || {}).forEach(function (field) { messages = messages.concat(error.fields[field]); });
    return messages.length ? messages.join(" ") : error.message;
  }

  function showError(text) {
    if (!errorLine) { return; }
    errorLine.textContent = text;
    errorLine.hidden = !text;
  }

  function showPresence(online) {
    root.querySelectorAll("[data-chat-participants] [data-user-id]").forEach(function (person) {
      var id = Number(person.dataset.userId);
      if (id !== userId) { setOnline(id, online.indexOf(id) !== -1); }
    });
  }

  function handle(frame) {
    switch (frame.type) {
      case "message": showMessage(frame.message); break;
      case "message.updated": if (document.getElementById("m" + frame.message.id)) { showMessage(frame.message); } break;
      case "typing": showTyping(frame.user); break;
      case "read": moveReadMarker(frame.user_id, frame.up_to); break;
      case "presence": showPresence(frame.online); break;
      case "presence.changed": setOnline(frame.user_id, frame.online); break;
      case "presence.changes": frame.changes.forEach(function (change) { setOnline(change.user_id, change.online); }); break;
      case "unread":
        setBadge(frame.total);
        if (frame.conversation !== null) { setInboxCount(frame.conversation, frame.count); }
        break;
      case "ready":
        seq = frame.seq;
        setStatus(gettext("Connected: new messages appear as they are sent."));
        announce(true);
        scheduleRead();
        send({ type: "ping" });  // asks for who is online now
        break;
      case "ack": if (frame.added === undefined) { clearComposer(); } showError(""); break;
      case "error": showError(errorText(frame.error)); break;
      default: break;
    }
  }

  function connect() {
    announce(false);
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", function () {
      attempts = 0;
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
    });
    socket.addEventListener("message", function (event) { handle(JSON.parse(event.data)); });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      socket = null;
      announce(false);
      if (event.code === 4401 || event.code === 4403) {
        setStatus(event.code === 4403 ? gettext("You are no longer in this conversation.") : gettext("Log in again to chat."));
        return;
      }
      // Back off exponentially with jitter, so that a restarted server is not stampeded.
      var delay = Math.min(RETRY_MAX_MS, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      setStatus(gettext("Reconnecting…"));
      setTimeout(connect, delay);
    });
  }

  function setReply(id) {
    var original = document.getElementById("m" + id);
    replyInput.value = String(id);
    replying.querySelector("[data-chat-replying-name]").textContent =
      original ? original.querySelector(".chat-sender").textContent : "";
    replying.querySelector("[data-chat-replying-text]").textContent =
      original ? original.querySelector(".chat-body").textContent.slice(0, 80) : "";
    replying.hidden = false;
    textarea.focus();
  }

  function clearReply() {
    replyInput.value = "";
    replying.hidden = true;
  }

  function clearComposer() {
    textarea.value = "";
    if (fileInput) { fileInput.value = ""; }
    if (selectedLine) { selectedLine.textContent = ""; }
    clearReply();
  }

  function jumpTo(id) {
    var target = document.getElementById("m" + id);
    if (!target) { return false; }
    target.scrollIntoView({ block: "center" });
    target.classList.add("highlight");
    setTimeout(function () { target.classList.remove("highlight"); }, 2000);
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    return true;
  }

  function sendFiles() {
    // Files go by HTTP (multipart), through the same service as the socket would use.
    var data = new FormData(form);
    showError("");
    setStatus(gettext("Sending…"));
    return fetch(root.dataset.sendUrl, { method: "POST", body: data, credentials: "same-origin",
                                         headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) { clearComposer(); setStatus(gettext("Connected: new messages appear as they are sent.")); return; }
          showError(body.error ? errorText(body.error) : gettext("The message could not be sent; try again."));
        });
      })
      .catch(function () { showError(gettext("The message could not be sent; try again.")); });
  }

  if (scroller) {
    // Open at the first unread message, at a linked message, or at the end.
    var marker = document.getElementById("first-unread");
    var linked = location.hash && /^#m\d+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
    if (linked) { jumpTo(linked.dataset.id); }
    else if (marker) { marker.scrollIntoView({ block: "start" }); }
    else { toBottom(); }
  }

  if (root) {
    root.addEventListener("click", function (event) {
      var jump = event.target.closest("[data-jump]");
      if (jump && jumpTo(jump.dataset.jump)) { event.preventDefault(); return; }
      var reply = live && event.target.closest("[data-reply]");
      if (reply && replyInput) { event.preventDefault(); setReply(reply.dataset.reply); return; }
      var cancel = event.target.closest("[data-chat-reply-cancel]");
      if (cancel && replyInput) { event.preventDefault(); clearReply(); textarea.focus(); return; }
      var button = live && event.target.closest("button[data-emoji]");
      if (button) {
        var item = button.closest(".chat-message");
        if (send({ type: "reaction", id: Number(item.dataset.id), emoji: button.dataset.emoji })) {
          event.preventDefault();
          var picker = button.closest("details");
          if (picker) { picker.open = false; }
        }
      }
    });
  }

  if (live && form && textarea) {
    form.addEventListener("submit", function (event) {
      if (fileInput && fileInput.files.length) {
        event.preventDefault();
        sendFiles();
        return;
      }
      var body = textarea.value.trim();
      if (!body) { event.preventDefault(); return; }
      var frame = { type: "message.send", body: body, client_id: String(Date.now()) };
      if (replyInput.value) { frame.reply_to = Number(replyInput.value); }
      // With the socket down, the form posts as it does without JavaScript.
      if (send(frame)) {
        event.preventDefault();
        lastTypingSent = 0;  // the next keystroke starts a new message: announce it at once
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape" && replyInput.value) {
        clearReply();
      }
    });
    textarea.addEventListener("input", function () {
      textarea.style.height = "auto";
      textarea.style.height = Math.min(textarea.scrollHeight, 200) + "px";
      if (Date.now() - lastTypingSent > 3000 && send({ type: "typing" })) { lastTypingSent = Date.now(); }
    });
    if (fileInput) {
      fileInput.addEventListener("change", function () {
        var names = Array.prototype.map.call(fileInput.files, function (file) { return file.name; });
        selectedLine.textContent = names.length
          ? interpolate(gettext("To send: %(names)s"), { names: names.join(", ") }, true) : "";
      });
    }
    document.addEventListener("visibilitychange", scheduleRead);
  }
  connect();
}());
