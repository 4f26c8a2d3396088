# Reference values for the days-to-MOUD analysis (src/evaluate/analyse-time-to-event.ts) on the analysed
# units of examples/synthetic-rct (units.csv: time in days, event 0 censored / 1 MOUD / 2 death, arm).
# Run from the repository root after export-units.ts:
#   Rscript tests/reference/days-to-moud/make-days-to-moud.R
# Writes tests/reference/days-to-moud/days-to-moud.json (17 significant digits; STATS-CONVENTIONS trap 7).
suppressPackageStartupMessages({ library(survival); library(cmprsk); library(jsonlite) })
here <- "tests/reference/days-to-moud"
u <- read.csv(file.path(here, "units.csv"), stringsAsFactors = FALSE)
times <- c(7, 14, 30, 90, 180, 365)
# Numbers are wrapped as 17-significant-digit strings and written verbatim (jsonlite keeps only 15).
num <- function(x) {
  x <- suppressWarnings(as.numeric(x))
  if (length(x) == 0) return(NA)
  structure(ifelse(is.finite(x), sprintf("%.17g", x), "null"), class = "json_num")
}
as_json <- function(v) {
  if (inherits(v, "json_num")) {
    s <- unclass(v)
    if (length(s) == 1) return(s)
    return(paste0("[", paste(s, collapse = ", "), "]"))
  }
  if (is.list(v)) {
    nm <- names(v)
    inner <- vapply(v, as_json, character(1))
    if (is.null(nm)) return(paste0("[", paste(inner, collapse = ", "), "]"))
    return(paste0("{", paste(sprintf("\"%s\": %s", nm, inner), collapse = ", "), "}"))
  }
  if (is.character(v)) return(if (length(v) == 1) toJSON(v, auto_unbox = TRUE) else toJSON(v))
  if (length(v) == 1) return(if (is.na(v)) "null" else sprintf("%.17g", v))
  paste0("[", paste(ifelse(is.na(v), "null", sprintf("%.17g", v)), collapse = ", "), "]")
}

# Kaplan-Meier of time to MOUD with deaths censored (cause-specific), log CI, Greenwood.
km <- survfit(Surv(time, event == 1) ~ arm, data = u, conf.type = "log")
skm <- summary(km, times = times, extend = TRUE)
q <- quantile(km, probs = 0.5)
km_out <- lapply(c("COMPARISON", "PEER"), function(a) {
  s <- paste0("arm=", a)
  k <- skm$strata == s
  list(arm = a, time = skm$time[k], n_risk = skm$n.risk[k], surv = num(skm$surv[k]),
       std_err = num(skm$std.err[k]), lower = num(skm$lower[k]), upper = num(skm$upper[k]),
       median = num(q$quantile[s, 1]), median_lower = num(q$lower[s, 1]), median_upper = num(q$upper[s, 1]))
})

# Aalen-Johansen cumulative incidence of MOUD with death competing (survfit multi-state, IJ SE, log CI).
u$state <- factor(u$event, levels = 0:2, labels = c("censor", "moud", "death"))
aj <- survfit(Surv(time, state) ~ arm, data = u, id = seq_len(nrow(u)))
saj <- summary(aj, times = times, extend = TRUE)
col <- which(saj$states == "moud")
aj_out <- lapply(c("COMPARISON", "PEER"), function(a) {
  k <- saj$strata == paste0("arm=", a)
  list(arm = a, time = saj$time[k], estimate = num(saj$pstate[k, col]), std_err = num(saj$std.err[k, col]),
       lower = num(saj$lower[k, col]), upper = num(saj$upper[k, col]))
})

lr <- survdiff(Surv(time, event == 1) ~ arm, data = u)
ci <- cuminc(u$time, u$event, u$arm, cencode = 0)
gray <- ci$Tests["1", ]
fit <- coxph(Surv(time, event == 1) ~ I(arm == "PEER"), data = u, ties = "efron",
             control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))

out <- list(
  generated_by = "tests/reference/days-to-moud/make-days-to-moud.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  cmprsk_version = as.character(packageVersion("cmprsk")),
  n = nrow(u), times = times,
  kaplan_meier = km_out,
  cumulative_incidence = aj_out,
  logrank = list(statistic = num(lr$chisq), df = length(lr$n) - 1),
  gray = list(statistic = num(gray[["stat"]]), df = num(gray[["df"]])),
  cox = list(coef = num(coef(fit)[[1]]), se = num(sqrt(fit$var[1, 1])))
)
writeLines(prettify(as_json(out)), file.path(here, "days-to-moud.json"))
cat("wrote", file.path(here, "days-to-moud.json"), "\n")
