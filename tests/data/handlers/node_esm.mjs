// An ES module handler, as `index.mjs` in Lambda.
export const handler = async (event, context) => {
  console.log("esm got", JSON.stringify(event));
  return {
    event,
    functionName: context.functionName,
    awsRequestId: context.awsRequestId,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    remaining: context.getRemainingTimeInMillis(),
    table: process.env.TABLE_NAME,
  };
};

export const fail = async () => {
  throw new TypeError("not a number");
};
