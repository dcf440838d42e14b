/** The hand-made apps (tree + scan findings) the generator tests share. */
import { generate, type GeneratedFile } from '../../adapters/index.js';
import { finding, scanResult, shimBundle } from './helpers.js';

export const JAVA_SECRET = 'Hunter2-Very-S3cret';

export const JAVA_SOURCES_TREE: Record<string, string> = {
  'pom.xml': '<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>shop</artifactId><version>1</version><packaging>war</packaging></project>\n',
  'src/main/resources/application.properties': `# shop settings\ndb.url=jdbc:mysql://db01.corp.local:3306/shop\ndb.user=shop\ndb.password=${JAVA_SECRET}\nupload.dir=/var/shop/uploads\nlog.file=/var/log/shop/app.log\n`,
  'src/main/webapp/WEB-INF/web.xml': '<?xml version="1.0" encoding="UTF-8"?>\n<web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="3.1">\n  <display-name>shop</display-name>\n</web-app>\n',
  'src/main/java/com/acme/shop/Uploads.java': `package com.acme.shop;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

public class Uploads {
    public void save(String name, byte[] data) throws IOException {
        try (OutputStream out = new FileOutputStream("/var/shop/uploads/" + name)) {
            out.write(data);
        }
    }

    public void archive(String name, byte[] data) throws IOException {
        try (FileOutputStream out = new FileOutputStream("/var/shop/archive/" + name)) {
            out.write(data);
        }
    }

    public void channel(String name) throws IOException {
        try (FileOutputStream ch = new FileOutputStream(name, true)) {
            ch.getChannel().force(true);
        }
    }
}
`,
  'src/main/java/com/acme/shop/OrderDao.java': 'package com.acme.shop;\nclass OrderDao {\n  Object ds() throws Exception { return new javax.naming.InitialContext().lookup("java:comp/env/jdbc/OrdersDS"); }\n}\n',
};

export function javaFindings() {
  return [
    finding({ file: 'src/main/resources/application.properties', line: 2, ruleId: 'config/properties-url-literal-host', concern: 'host-bound-config', captures: { key: 'db.url', value: 'jdbc:mysql://db01.corp.local:3306/shop', host: 'db01.corp.local' } }),
    finding({ file: 'src/main/resources/application.properties', line: 4, ruleId: 'config/properties-credentials', concern: 'local-credentials', captures: { key: 'db.password' } }),
    finding({ file: 'src/main/resources/application.properties', line: 5, ruleId: 'config/properties-data-directory', concern: 'local-storage', captures: { key: 'upload.dir', value: '/var/shop/uploads' } }),
    finding({ file: 'src/main/resources/application.properties', line: 6, ruleId: 'config/properties-log-file', concern: 'file-logging', effort: 1, captures: { key: 'log.file', value: '/var/log/shop/app.log' } }),
    finding({ file: 'src/main/webapp/WEB-INF/web.xml', line: 2, ruleId: 'config/web-xml-not-distributable', concern: 'session-state', effort: 5 }),
    finding({ file: 'src/main/java/com/acme/shop/Uploads.java', line: 9, ruleId: 'java/local-file-write', concern: 'local-storage', captures: { type: 'java.io.FileOutputStream' } }),
    finding({ file: 'src/main/java/com/acme/shop/Uploads.java', line: 15, ruleId: 'java/local-file-write', concern: 'local-storage', captures: { type: 'java.io.FileOutputStream' } }),
    finding({ file: 'src/main/java/com/acme/shop/Uploads.java', line: 21, ruleId: 'java/local-file-write', concern: 'local-storage', captures: { type: 'java.io.FileOutputStream' } }),
    finding({ file: 'src/main/java/com/acme/shop/OrderDao.java', line: 3, ruleId: 'java/jndi-lookup', concern: 'app-server-api', severity: 'potential', captures: { value: 'java:comp/env/jdbc/OrdersDS' }, snippet: '  Object ds() throws Exception { return new javax.naming.InitialContext().lookup("java:comp/env/jdbc/OrdersDS"); }' }),
    finding({ file: 'src/main/java/com/acme/shop/NightlyReport.java', line: 8, ruleId: 'java/ejb-timer', concern: 'long-running-task', effort: 5, captures: { type: 'javax.ejb.Schedule' }, snippet: '    @Schedule(minute = "30", hour = "2", persistent = false)' }),
    finding({ file: 'src/main/java/com/acme/shop/QuoteCache.java', line: 5, ruleId: 'java/static-map-cache', concern: 'in-memory-cache', severity: 'potential', captures: { key: 'PRICES' } }),
  ];
}

export function generateJavaApp(extra: { patch?: boolean } = {}): GeneratedFile[] {
  const sources = Object.fromEntries(Object.entries(JAVA_SOURCES_TREE).filter(([f]) => !f.endsWith('pom.xml')));
  return generate(scanResult(javaFindings()), { name: 'shop', unit: { cpu: '500m', memory: '512Mi' }, units: 2, patch: extra.patch ?? true, files: Object.keys(JAVA_SOURCES_TREE), sources, shim: shimBundle() });
}

export const NODE_SECRET = 'n0de-Sup3r-Secret-Pass';

export const NODE_TREE: Record<string, string> = {
  'package.json': '{ "name": "legacy-shop", "main": "app.js" }\n',
  'config.js': `module.exports = {\n  dbHost: 'db.internal.corp',\n  password: '${NODE_SECRET}',\n};\n`,
  'app.js': `'use strict';
const express = require('express');
const session = require('express-session');
const multer = require('multer');
const fs = require('fs');
const path = require('path');

const app = express();
app.use(session({
  secret: 'keyboard cat',
  resave: false,
  saveUninitialized: false,
}));

const upload = multer({ dest: 'uploads/' });

app.post('/login', (req, res) => {
  req.session.user = 'alice';
  res.send('ok');
});
app.get('/me', (req, res) => res.send(req.session.user || 'anonymous'));
app.post('/upload', upload.single('file'), (req, res) => res.json({ key: req.file.key || req.file.path }));
app.post('/notes/:id', express.text(), (req, res) => {
  fs.writeFile(path.join('data', 'notes', req.params.id + '.txt'), req.body, (err) => (err ? res.status(500).send(String(err)) : res.send('saved')));
});

module.exports = app;
if (require.main === module) app.listen(3000);
`,
};

export function nodeFindings() {
  return [
    finding({ file: 'config.js', line: 2, ruleId: 'node/service-url-literal', concern: 'host-bound-config', captures: { key: 'dbHost', value: 'db.internal.corp', kind: 'host' } }),
    finding({ file: 'config.js', line: 3, ruleId: 'node/hardcoded-secret', concern: 'local-credentials', captures: { key: 'password' } }),
    finding({ file: 'app.js', line: 9, ruleId: 'node/session-memory-store', concern: 'session-state', effort: 5 }),
    finding({ file: 'app.js', line: 15, ruleId: 'node/multer-disk-storage', concern: 'file-upload', effort: 5, captures: { value: 'uploads/' } }),
    finding({ file: 'app.js', line: 24, ruleId: 'node/local-file-write', concern: 'local-storage' }),
    finding({ file: 'jobs.js', line: 4, ruleId: 'node/set-interval-job', concern: 'long-running-task', severity: 'potential', snippet: 'setInterval(() => purgeCarts(), 3600000);' }),
    finding({ file: 'cache.js', line: 1, ruleId: 'node/module-level-cache', concern: 'in-memory-cache', severity: 'potential', captures: { key: 'prices' } }),
    finding({ file: 'logger.js', line: 3, ruleId: 'node/winston-file-transport', concern: 'file-logging', captures: { value: '/var/log/shop/app.log' } }),
  ];
}

export function generateNodeApp(patch = true): GeneratedFile[] {
  return generate(scanResult(nodeFindings()), { name: 'legacy-shop', unit: { cpu: '250m', memory: '256Mi' }, units: 3, patch, files: [...Object.keys(NODE_TREE), 'jobs.js', 'cache.js', 'logger.js'], sources: NODE_TREE, shim: shimBundle() });
}

