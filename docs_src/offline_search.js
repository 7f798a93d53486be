/* Search from file://: browsers refuse Web Workers and XHR there, so MkDocs' search would fail silently when the site
   is opened from disk. When the page is a file, this stands in for the worker on the main thread, loading lunr and
   the index (written by tools/build_docs.py as search/search_index.js) with plain <script> tags. */
(function () {
  if (window.location.protocol !== 'file:') return;
  function load(src, done) {
    var s = document.createElement('script'); s.src = src; s.onload = done;
    s.onerror = function () { console.error('offline search: could not load ' + src); };
    document.head.appendChild(s);
  }
  window.Worker = function (url) {
    var self = this, index = null, docs = {};
    var root = url.replace(/search\/worker\.js$/, '');
    function reply(data) { if (self.onmessage) self.onmessage({data: data}); }
    function search(query) {
      return index.search(query).map(function (r) {
        var d = docs[r.ref]; d.summary = d.text.substring(0, 200); return d;
      });
    }
    this.postMessage = function (msg) {
      if (msg.init) {
        load(root + 'search/lunr.js', function () {
          load(root + 'search/search_index.js', function () {
            var data = window.__clusterkit_search_index;
            if (data.config && data.config.separator) lunr.tokenizer.separator = new RegExp(data.config.separator);
            index = lunr(function () {
              this.field('title'); this.field('text'); this.ref('location');
              for (var i = 0; i < data.docs.length; i++) { this.add(data.docs[i]); docs[data.docs[i].location] = data.docs[i]; }
            });
            reply({config: data.config}); reply({allowSearch: true});
          });
        });
      } else if (msg.query && index) {
        reply({results: search(msg.query)});
      }
    };
  };
})();
