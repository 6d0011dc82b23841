// A CommonJS handler (exports.handler), callback style.
exports.handler = (event, context, callback) => {
  console.log("cjs got", event.n);
  callback(null, { doubled: event.n * 2, functionName: context.functionName });
};

exports.sync = (event) => ({ sync: event });
