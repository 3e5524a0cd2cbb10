// Queue page: joins the line, shows place / fans ahead / wait / progress, follows live updates
// (server-sent events, falling back to polling at the server's jittered hint) and moves the fan on
// to the booking page when admitted. The pass travels in the HttpOnly wr_pass_{room} cookie that the
// waiting room sets on this origin (the gateway), never in a URL. Plain JS, no build step.
(function () {
  'use strict';

  var TEXTS = {
    en: {
      title: 'You are in the waiting room', room: 'Room', joining: 'Getting your place in line…',
      prequeueLead: 'The sale has not started yet.', prequeueOpens: 'Opens at',
      prequeueNote: 'Everyone who is here before the opening gets a place drawn at random when it opens. Refreshing does not help – keep this page open.',
      place: 'Your place in line', ahead: 'Fans ahead of you', wait: 'Estimated wait',
      waitingNote: 'Keep this page open. You will be moved on to booking automatically when it is your turn.',
      admittedTitle: "It's your turn!", admittedLead: 'Taking you to booking…', continue: 'Continue to booking',
      expiredLead: 'Your place in line has expired.',
      expiredNote: 'Places are released when a page stops checking in for several minutes, or when a booking pass runs out.',
      rejoin: 'Join the line again', closedLead: 'This waiting room is closed.',
      closedNote: 'The sale is over or has not been opened to the public.',
      errorLead: 'We could not reach the waiting room.', errorNote: 'Retrying automatically…',
      notFound: 'This waiting room does not exist.', tooMany: 'Too many attempts. Trying again shortly…',
      updated: 'Updated', paused: 'Admission is paused for a moment', almost: 'Almost there…',
      lessThanMinute: 'Less than a minute', minutes: function (n) { return 'About ' + n + (n === 1 ? ' minute' : ' minutes'); },
      hours: function (h, m) { return 'About ' + h + ' h ' + m + ' min'; }
    },
    ko: {
      title: '대기실에 입장했습니다', room: '대기실', joining: '대기 순번을 받는 중…',
      prequeueLead: '아직 판매가 시작되지 않았습니다.', prequeueOpens: '오픈 시각',
      prequeueNote: '오픈 전에 입장한 모든 분께는 오픈 시점에 무작위로 순번이 배정됩니다. 새로고침해도 유리하지 않으니 이 페이지를 그대로 열어 두세요.',
      place: '나의 대기 순번', ahead: '내 앞의 대기 인원', wait: '예상 대기 시간',
      waitingNote: '이 페이지를 닫지 마세요. 차례가 되면 예매 페이지로 자동으로 이동합니다.',
      admittedTitle: '입장 차례입니다!', admittedLead: '예매 페이지로 이동하는 중…', continue: '예매 계속하기',
      expiredLead: '대기 순번이 만료되었습니다.',
      expiredNote: '몇 분 이상 페이지의 응답이 없거나 예매 입장권의 유효 시간이 지나면 순번이 해제됩니다.',
      rejoin: '다시 줄 서기', closedLead: '이 대기실은 닫혀 있습니다.',
      closedNote: '판매가 끝났거나 아직 공개되지 않았습니다.',
      errorLead: '대기실 서버에 연결할 수 없습니다.', errorNote: '자동으로 다시 시도하는 중…',
      notFound: '존재하지 않는 대기실입니다.', tooMany: '요청이 너무 많습니다. 잠시 후 다시 시도합니다…',
      updated: '업데이트', paused: '입장이 잠시 중단되었습니다', almost: '곧 입장합니다…',
      lessThanMinute: '1분 미만', minutes: function (n) { return '약 ' + n + '분'; },
      hours: function (h, m) { return '약 ' + h + '시간 ' + m + '분'; }
    }
  };

  // Proof of work (pow.js): texts of the panel shown while the browser solves the room's challenge.
  TEXTS.en.powLead = 'Checking this browser before it takes a place…';
  TEXTS.en.powNote = 'This takes a few seconds and keeps bots from filling the line. Please keep this page open.';
  TEXTS.ko.powLead = '줄을 서기 전에 브라우저를 확인하는 중…';
  TEXTS.ko.powNote = '몇 초 정도 걸리며, 봇이 대기열을 채우지 못하게 합니다. 이 페이지를 그대로 열어 두세요.';

  var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  var lang = String(languages[0] || 'en').toLowerCase().indexOf('ko') === 0 ? 'ko' : 'en';
  var t = TEXTS[lang];
  var numbers = new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US');
  var clock = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  var roomId = decodeURIComponent(location.pathname.split('/')[2] || '');
  var api = '/api/rooms/' + encodeURIComponent(roomId);
  var progressKey = 'wr-first-ahead:' + roomId;
  var events = null;
  var pollTimer = null;
  var countdownTimer = null;
  var redirected = false;
  var redirectDelayMs = 1500;

  function $(id) { return document.getElementById(id); }

  function applyTexts() {
    document.documentElement.lang = lang;
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      var value = t[nodes[i].getAttribute('data-i18n')];
      if (typeof value === 'string') { nodes[i].textContent = value; }
    }
    $('room-id').textContent = roomId;
    document.title = t.title;
  }

  function setState(state) { document.body.setAttribute('data-state', state); }

  function formatWait(seconds) {
    if (seconds === null || seconds === undefined) { return t.paused; }
    if (seconds < 60) { return t.lessThanMinute; }
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) { return t.minutes(minutes); }
    return t.hours(Math.floor(minutes / 60), minutes % 60);
  }

  function stamp() { $('updated').textContent = clock.format(new Date()); }

  function showError(text) {
    $('error-text').textContent = text || t.errorLead;
    setState('error');
  }

  // admission (issue 12): sold out. Not final: the page keeps listening, so seats that come back are offered in line order.
  var SOLD_OUT_TEXTS = {
    en: { lead: 'Sold out.', note: 'Every seat is sold or taken. If seats come back (a booking is cancelled), this page tells you at once – you keep your place.' },
    ko: { lead: '매진되었습니다.', note: '모든 좌석이 판매되었거나 선점되었습니다. 취소로 좌석이 다시 나오면 이 페이지에서 바로 알려 드리며, 대기 순번은 유지됩니다.' }
  };

  function renderSoldOut() {
    stopCountdown();
    var texts = SOLD_OUT_TEXTS[lang];
    $('soldout-lead').textContent = texts.lead;
    $('soldout-note').textContent = texts.note;
    // waitlist (issue 13.1): offer the booking pages' cancellation waitlist of this room's performance.
    var waitlist = WAITLIST_TEXTS[lang];
    var link = $('soldout-waitlist');
    link.textContent = waitlist.link;
    link.href = '/book/waitlist?room=' + encodeURIComponent(roomId);
    $('soldout-waitlist-note').textContent = waitlist.note;
    setState('soldout');
  }

  // waitlist (issue 13.1)
  var WAITLIST_TEXTS = {
    en: { link: 'Join the cancellation waitlist', note: 'Or wait for a cancelled ticket there: returned seats are offered to waitlisted fans in the order they joined, with time to pay.' },
    ko: { link: '취소표 대기 신청', note: '취소표 대기를 신청하면 돌아온 좌석이 신청 순서대로 자동 제안되며, 정해진 시간 안에 결제하면 됩니다.' }
  };

  function render(s) {
    stamp();
    if (s.state === 'soldOut') { renderSoldOut(); return; }
    if (s.state === 'waiting' && s.preQueue) {
      setState('prequeue');
      var opens = new Date(s.opensAt);
      $('opens-at').textContent = opens.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
      startCountdown(opens);
      return;
    }
    stopCountdown();
    if (s.state === 'waiting') {
      setState('waiting');
      $('place').textContent = numbers.format(s.place);
      $('ahead').textContent = numbers.format(s.ahead);
      var first = Number(sessionStorage.getItem(progressKey) || 0);
      if (!first || s.ahead > first) { first = s.ahead; sessionStorage.setItem(progressKey, String(first)); }
      var pct = first > 0 ? Math.round(100 * (1 - s.ahead / (first + 1))) : 95;
      pct = Math.max(2, Math.min(99, pct));
      $('bar').style.width = pct + '%';
      $('progress').setAttribute('aria-valuenow', String(pct));
      $('wait').textContent = s.ahead === 0 && s.estimatedWaitSeconds !== null ? t.almost : formatWait(s.estimatedWaitSeconds);
      return;
    }
    stopLive();
    sessionStorage.removeItem(progressKey);
    if (s.state === 'admitted') {
      setState('admitted');
      var target = s.redirectUrl;
      var link = $('continue');
      if (target) {
        link.href = target;
        if (!redirected) {
          redirected = true;
          // One status request makes sure the pass cookie is set (an admission announced mid-stream by the
          // live updates could not set it), then the fan moves on.
          var ready = fetch(api + '/status', { credentials: 'same-origin', cache: 'no-store' }).catch(function () {});
          setTimeout(function () { ready.then(function () { location.assign(target); }); }, redirectDelayMs);
        }
      } else {
        link.style.display = 'none';
      }
      return;
    }
    setState(s.state === 'closed' ? 'closed' : 'expired');
  }

  function startCountdown(opens) {
    stopCountdown();
    function tick() {
      var left = Math.max(0, Math.round((opens.getTime() - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), sec = left % 60;
      $('countdown').textContent = (h > 0 ? h + ':' : '') + (m < 10 && h > 0 ? '0' : '') + m + ':' + (sec < 10 ? '0' : '') + sec;
    }
    tick();
    countdownTimer = setInterval(tick, 1000);
  }

  function stopCountdown() { if (countdownTimer) { clearInterval(countdownTimer); countdownTimer = null; } }

  function stopLive() {
    if (events) { events.close(); events = null; }
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
  }

  function schedulePoll(ms) {
    if (pollTimer) { clearTimeout(pollTimer); }
    pollTimer = setTimeout(poll, Math.max(250, ms || 5000));
  }

  function poll() {
    fetch(api + '/status', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (r.status === 404) { showError(t.notFound); return null; }
        if (r.status === 401 || r.status === 403) { join(); return null; }
        if (!r.ok) { throw new Error('status ' + r.status); }
        return r.json();
      })
      .then(function (s) {
        if (!s) { return; }
        render(s);
        if (s.pollAfterMs) { schedulePoll(s.pollAfterMs); }
      })
      .catch(function () { showError(); schedulePoll(5000 + Math.random() * 5000); });
  }

  function listen(fallbackMs) {
    if (!window.EventSource) { schedulePoll(fallbackMs); return; }
    events = new EventSource(api + '/events');
    events.addEventListener('status', function (e) {
      var s = JSON.parse(e.data);
      render(s);
      if (!s.pollAfterMs) { stopLive(); }
    });
    events.onerror = function () {
      // Fall back to polling at the server's hint; the server spreads these with jitter.
      if (events) { events.close(); events = null; }
      schedulePoll(fallbackMs);
    };
  }

  // A new place costs a solved challenge (403 pow.required / pow.invalid): solve it in a worker, showing progress,
  // then join again with the answer. A fan who already has a place (ticket cookie) joins without solving.
  var powAttempts = 0;
  function solveThenJoin() {
    if (++powAttempts > 3 || !window.QueuePow) { powAttempts = 0; showError(); setTimeout(join, 5000 + Math.random() * 5000); return; }
    setState('solving');
    var bar = $('pow-bar');
    var meter = $('pow-progress');
    function progress(fraction) {
      var percent = Math.round(fraction * 100);
      bar.style.width = percent + '%';
      meter.setAttribute('aria-valuenow', String(percent));
    }
    progress(0);
    window.QueuePow.solve(api, progress)
      .then(function (proof) { join(proof); })
      .catch(function () { showError(); setTimeout(join, 5000 + Math.random() * 5000); });
  }

  function isPowProblem(r) {
    return r.status === 403 && r.clone().json().then(function (p) { return String(p.code || '').indexOf('pow.') === 0; }, function () { return false; });
  }

  function join(proof) {
    stopLive();
    // Account rooms: signin.js adds the fan identity, and asks the fan to sign in when the room refuses a join without one.
    // A new place may also cost a solved challenge (pow.js): the join is sent again with the answer.
    window.FanSignIn.joinHeaders()
      .then(function (headers) {
        if (typeof proof === 'string') { headers['X-Proof-Of-Work'] = proof; }
        return fetch(api + '/join', { method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store' });
      })
      .then(function (r) {
        if (r.status === 401) {
          return r.json().then(function (problem) {
            if (window.FanSignIn.handleRefusal(problem, function () { setState('loading'); join(); })) { return null; }
            throw new Error('join 401');
          });
        }
        if (r.status === 403) {
          return isPowProblem(r).then(function (pow) {
            if (pow) { solveThenJoin(); return null; }
            throw new Error('join 403');
          });
        }
        return r;
      })
      .then(function (r) {
        if (!r) { return null; }
        powAttempts = 0;
        if (r.status === 404) { showError(t.notFound); return null; }
        if (r.status === 409) { stamp(); setState('closed'); return null; }
        if (r.status === 429) {
          var retry = Number(r.headers.get('Retry-After') || 5);
          showError(t.tooMany);
          setTimeout(join, (retry + Math.random() * 3) * 1000);
          return null;
        }
        if (!r.ok) { throw new Error('join ' + r.status); }
        return r.json();
      })
      .then(function (s) {
        if (!s) { return; }
        render(s);
        if (s.pollAfterMs) { listen(s.pollAfterMs); }
      })
      .catch(function () { showError(); setTimeout(join, 5000 + Math.random() * 5000); });
  }

  applyTexts();
  $('rejoin').addEventListener('click', function () { setState('loading'); join(); });
  join();
})();
