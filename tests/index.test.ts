import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as prss from "../src/index.js";

describe("public API", () => {
  it("exports the names researchers and our own checks call", () => {
    const names = [
      "kaplanMeier",
      "logRankTest",
      "coxPH",
      "coxZph",
      "cumulativeIncidence",
      "grayTest",
      "fineGray",
      "rmst",
      "rmstDifference",
      "glm",
      "gee",
      "lmm",
      "proportionCI",
      "compareProportions",
      "tTest",
      "hedgesG",
      "pAdjust",
      "normalCdf",
      "studentTQuantile",
      "chiSquaredUpperTail",
      "loadDataset",
      "generateCohort",
      "daysToMoud",
      "propensityScore",
      "matchNearest",
      "propensityWeights",
      "balanceTable",
      "eValue",
      "evaluateLoaded",
      "toReportInput",
      "renderReportHtml",
      "parseEvaluationConfig",
    ];
    for (const name of names) expect(typeof (prss as Record<string, unknown>)[name], name).toBe("function");
  });
  it("reports the package.json version", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(prss.PACKAGE_VERSION).toBe(pkg.version);
  });
});
