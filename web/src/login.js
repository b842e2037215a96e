// login.js — the login form: POST /api/login, then to the dashboard.
import { api, applyI18n, langSwitch, t } from './common.js';

applyI18n();
document.getElementById('lang-slot').append(langSwitch());
document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const err = document.getElementById('login-error');
  err.textContent = '';
  try {
    await api('/api/login', { method: 'POST', body: {
      username: document.getElementById('username').value,
      password: document.getElementById('password').value } });
    location.href = '/#/home';
  } catch (e) {
    err.textContent = e.status === 429 ? t('login_limited') : t('login_failed');
  }
});
