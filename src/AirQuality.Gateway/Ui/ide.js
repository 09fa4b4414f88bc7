// A small GraphQL IDE: runs the query against this page's own endpoint and lists the schema's types
// from introspection. Everything is same-origin; nothing is loaded from elsewhere. An API key typed in
// is sent as X-Api-Key and kept for this tab only (sessionStorage, the same entry the dashboard uses).
(function () {
  'use strict';
  var endpoint = window.location.pathname.replace(/\/ui\/?$/, '');
  var query = document.getElementById('query');
  var variables = document.getElementById('variables');
  var result = document.getElementById('result');
  var types = document.getElementById('types');
  var apiKey = document.getElementById('api-key');
  var storageKey = 'airquality.apiKey';
  try { apiKey.value = window.sessionStorage.getItem(storageKey) || ''; } catch (e) { /* storage blocked: type it each time */ }
  apiKey.addEventListener('change', function () {
    try {
      if (apiKey.value) { window.sessionStorage.setItem(storageKey, apiKey.value); } else { window.sessionStorage.removeItem(storageKey); }
    } catch (e) { /* storage blocked */ }
  });

  function post(body) {
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/graphql-response+json' };
    if (apiKey.value) { headers['X-Api-Key'] = apiKey.value; }
    return fetch(endpoint, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body)
    }).then(function (response) { return response.json(); });
  }

  function run() {
    var vars;
    try {
      vars = variables.value.trim() ? JSON.parse(variables.value) : {};
    } catch (e) {
      result.textContent = 'Variables are not valid JSON: ' + e.message;
      return;
    }
    result.textContent = '…';
    post({ query: query.value, variables: vars })
      .then(function (json) { result.textContent = JSON.stringify(json, null, 2); })
      .catch(function (e) { result.textContent = 'Request failed: ' + e.message; });
  }

  function typeName(t) {
    if (!t) { return ''; }
    if (t.kind === 'NON_NULL') { return typeName(t.ofType) + '!'; }
    if (t.kind === 'LIST') { return '[' + typeName(t.ofType) + ']'; }
    return t.name;
  }

  function listTypes() {
    var introspection = '{ __schema { types { name kind fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }';
    post({ query: introspection }).then(function (json) {
      json.data.__schema.types
        .filter(function (t) { return t.name.indexOf('__') !== 0; })
        .forEach(function (t) {
          var item = document.createElement('li');
          var title = document.createElement('strong');
          title.textContent = t.name + ' (' + t.kind.toLowerCase() + ')';
          item.appendChild(title);
          (t.fields || []).forEach(function (f) {
            var line = document.createElement('div');
            line.textContent = '  ' + f.name + ': ' + typeName(f.type);
            item.appendChild(line);
          });
          types.appendChild(item);
        });
    });
  }

  document.getElementById('run').addEventListener('click', run);
  query.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { run(); }
  });
  listTypes();
})();
