// Queue page, account rooms: one place per account. Before joining, the page asks the booking API (same origin,
// through the gateway) for a short-lived fan identity for the signed-in account and sends it in X-Fan-Identity.
// Without a session it shows a sign-in form (with a switch to register). Tokens live where the booking pages keep
// them: sessionStorage.accessToken / sessionStorage.refreshToken, so the fan is signed in there too.
(function () {
  'use strict';

  var TEXTS = {
    en: {
      signinLead: 'Sign in to join the line', signinNote: 'One place per account: your place follows you to any device you sign in on.',
      email: 'Email', password: 'Password', signin: 'Sign in and join', register: 'Register and join',
      toRegister: 'New here? Create an account', toSignin: 'Have an account? Sign in',
      wrong: 'We found no account with this email and password.', taken: 'An account with this email already exists. Sign in instead.',
      invalid: 'Check the email and a password of at least 8 characters.', failed: 'Signing in did not work. Try again in a moment.', checking: 'Checking this browser before creating the account…'
    },
    ko: {
      signinLead: '로그인 후 대기열에 입장합니다', signinNote: '계정당 한 자리입니다. 어느 기기에서 로그인해도 같은 순번이 이어집니다.',
      email: '이메일', password: '비밀번호', signin: '로그인하고 입장', register: '회원가입하고 입장',
      toRegister: '처음이신가요? 회원가입', toSignin: '계정이 있으신가요? 로그인',
      wrong: '이메일 또는 비밀번호가 올바르지 않습니다.', taken: '이미 가입된 이메일입니다. 로그인해 주세요.',
      invalid: '이메일과 8자 이상의 비밀번호를 확인해 주세요.', failed: '로그인하지 못했습니다. 잠시 후 다시 시도해 주세요.', checking: '계정을 만들기 전에 이 브라우저를 확인하고 있습니다…'
    }
  };
  var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  var t = TEXTS[String(languages[0] || 'en').toLowerCase().indexOf('ko') === 0 ? 'ko' : 'en'];

  var tokens = {
    get access() { return sessionStorage.getItem('accessToken'); },
    get refresh() { return sessionStorage.getItem('refreshToken'); },
    save: function (body) { sessionStorage.setItem('accessToken', body.accessToken); sessionStorage.setItem('refreshToken', body.refreshToken); },
    clear: function () { sessionStorage.removeItem('accessToken'); sessionStorage.removeItem('refreshToken'); }
  };

  function $(id) { return document.getElementById(id); }

  function post(path, body, bearer) {
    var headers = { 'Content-Type': 'application/json' };
    if (bearer) { headers.Authorization = 'Bearer ' + bearer; }
    return fetch(path, { method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store', body: body ? JSON.stringify(body) : undefined });
  }

  function refresh() {
    if (!tokens.refresh) { return Promise.resolve(false); }
    return post('/api/accounts/refresh', { refreshToken: tokens.refresh })
      .then(function (r) { return r.ok ? r.json().then(function (b) { tokens.save(b); return true; }) : false; })
      .catch(function () { return false; });
  }

  function identity(retried) {
    return post('/api/accounts/me/queue-identity', null, tokens.access).then(function (r) {
      if (r.ok) { return r.json().then(function (b) { return b.identity; }); }
      if (r.status === 401 && !retried) {
        return refresh().then(function (ok) {
          if (ok) { return identity(true); }
          tokens.clear();
          return null;
        });
      }
      return null;
    });
  }

  // Headers for a join: the fan identity when the fan is signed in (anonymous rooms ignore it), none otherwise.
  function joinHeaders() {
    if (!tokens.access) { return Promise.resolve({}); }
    return identity(false)
      .then(function (value) { return value ? { 'X-Fan-Identity': value } : {}; })
      .catch(function () { return {}; });
  }

  var registering = false;
  var onSignedIn = null;

  function showMode() {
    $('signin-submit').textContent = registering ? t.register : t.signin;
    $('signin-switch').textContent = registering ? t.toSignin : t.toRegister;
    $('signin-password').setAttribute('autocomplete', registering ? 'new-password' : 'current-password');
  }

  function fail(text) {
    $('signin-error').textContent = text;
    $('signin-submit').disabled = false;
  }

  function logIn(email, password) {
    return post('/api/accounts/login', { email: email, password: password }).then(function (r) {
      if (r.ok) { return r.json().then(function (b) { tokens.save(b); return true; }); }
      fail(r.status === 401 ? t.wrong : r.status === 400 ? t.invalid : t.failed);
      return false;
    });
  }

  // Registration while a room takes fans asks for proof of work (403 pow.*): solve the WebApi's registration
  // challenge with the queue page's worker (pow.js) and register again with the answer.
  function register(email, password, proof) {
    var headers = { 'Content-Type': 'application/json' };
    if (proof) { headers['X-Proof-Of-Work'] = proof; }
    return fetch('/api/accounts/register', { method: 'POST', headers: headers, credentials: 'same-origin', cache: 'no-store', body: JSON.stringify({ email: email, password: password }) })
      .then(function (r) {
        if (r.status !== 403 || proof || !window.QueuePow) { return r; }
        return r.clone().json().then(function (p) {
          if (String(p.code || '').indexOf('pow.') !== 0) { return r; }
          $('signin-error').textContent = t.checking;
          return window.QueuePow.solve('', function () {}, '/api/accounts/registration-challenge').then(function (answer) {
            $('signin-error').textContent = '';
            return answer ? register(email, password, answer) : r;
          });
        }, function () { return r; });
      });
  }

  function submit(e) {
    e.preventDefault();
    var email = $('signin-email').value.trim();
    var password = $('signin-password').value;
    $('signin-error').textContent = '';
    $('signin-submit').disabled = true;
    var done = registering
      ? register(email, password, null).then(function (r) {
        if (r.status === 201) { return logIn(email, password); }
        fail(r.status === 409 ? t.taken : r.status === 400 ? t.invalid : t.failed);
        return false;
      })
      : logIn(email, password);
    done.then(function (ok) {
      if (!ok) { return; }
      $('signin-submit').disabled = false;
      $('signin-password').value = '';
      var next = onSignedIn;
      onSignedIn = null;
      if (next) { next(); }
    }).catch(function () { fail(t.failed); });
  }

  // A join refused for want of an identity: show the form; once signed in, join again.
  function handleRefusal(problem, retry) {
    if (!problem || typeof problem.code !== 'string' || problem.code.indexOf('identity.') !== 0) { return false; }
    if (problem.code !== 'identity.required') { tokens.clear(); }
    onSignedIn = retry;
    document.body.setAttribute('data-state', 'signin');
    $('signin-email').focus();
    return true;
  }

  function setUp() {
    var nodes = document.querySelectorAll('[data-signin-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      var value = t[nodes[i].getAttribute('data-signin-i18n')];
      if (typeof value === 'string') { nodes[i].textContent = value; }
    }
    showMode();
    $('signin-form').addEventListener('submit', submit);
    $('signin-switch').addEventListener('click', function () { registering = !registering; $('signin-error').textContent = ''; showMode(); });
  }

  window.FanSignIn = { joinHeaders: joinHeaders, handleRefusal: handleRefusal };
  setUp();
})();
