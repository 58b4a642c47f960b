module.exports = { turbopack: { root: __dirname } };
