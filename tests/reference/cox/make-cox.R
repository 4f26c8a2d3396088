# Reference values for the Cox model, cox.zph, concordance and Fine-Gray (tests/stats/survival/cox-r.test.ts).
#   Rscript make-cox.R      # writes cox.json beside this script (about 5 s)
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11 (Debian packages). Values are taken from fit objects
# (never printed summaries) and written with 17 significant digits; NA -> "NA", Inf -> "Inf".
# Every coxph fit uses coxph.control(eps = 1e-12, iter.max = 100) so that the reference is the
# converged root, not R's default stopping point (eps = 1e-9 leaves ~1e-6 relative error in beta).
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
ctl <- suppressWarnings(coxph.control(eps = 1e-12, iter.max = 100))

# ---------- minimal JSON writer with 17 significant digits ----------
num1 <- function(x) {
  if (is.na(x) && !is.nan(x)) return('"NA"')
  if (is.nan(x)) return('"NaN"')
  if (is.infinite(x)) return(if (x > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", x)
}
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    nm <- names(x)
    if (is.null(nm)) return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
    return(paste0("{", paste(sprintf("\"%s\":%s", nm, vapply(x, to_json, "")), collapse = ","), "}"))
  }
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(unname(x[i, ])), "")
    return(paste0("[", paste(rows, collapse = ","), "]"))
  }
  if (is.character(x)) {
    s <- vapply(x, function(v) if (is.na(v)) '"NA"' else jsonlite::toJSON(v, auto_unbox = TRUE), "")
    return(if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]"))
  }
  if (is.logical(x)) x <- as.numeric(x)
  x <- unname(as.numeric(x))
  s <- vapply(x, num1, "")
  if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]")
}
arr <- function(x) as.list(unname(as.numeric(x))) # force a JSON array even for length 1

# ---------- data ----------
lung2 <- survival::lung
lung2$status <- lung2$status - 1
lung2$wt <- 0.5 + ((seq_len(nrow(lung2)) * 7) %% 11) / 10
vet <- survival::veteran
vet$smallcell <- as.numeric(vet$celltype == "smallcell")
vet$adeno <- as.numeric(vet$celltype == "adeno")
vet$large <- as.numeric(vet$celltype == "large")
hrt <- survival::heart
hrt$transplant <- as.numeric(as.character(hrt$transplant))
mg <- survival::mgus2
mg$etime <- with(mg, ifelse(pstat == 0, futime, ptime))
mg$event <- with(mg, ifelse(pstat == 0, 2 * death, 1))
mg$male <- as.numeric(mg$sex == "M")

cols <- function(df, names) setNames(lapply(names, function(n) df[[n]]), names)

fitinfo <- function(fit, call) {
  out <- list(
    call = call,
    coefficients = arr(fit$coefficients),
    var = fit$var,
    loglik = arr(fit$loglik),
    score = fit$score,
    wald_test = fit$wald.test,
    iter = fit$iter,
    n = fit$n,
    nevent = fit$nevent,
    concordance = arr(fit$concordance[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy", "concordance", "std")])
  )
  if (!is.null(fit$naive.var)) out$naive_var <- fit$naive.var
  if (!is.null(fit$rscore)) out$rscore <- fit$rscore
  out
}
zphinfo <- function(z) list(terms = rownames(z$table), chisq = arr(z$table[, "chisq"]), df = arr(z$table[, "df"]), p = arr(z$table[, "p"]))

fits <- list()
zph <- list()

# lung: age + sex + ph.ecog (one missing ph.ecog dropped)
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, control = ctl)
fits$lung_efron <- c(fitinfo(f, "coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, control = ctl)"), list(
  martingale = residuals(f, "martingale"),
  score_resid = residuals(f, "score"),
  schoenfeld = residuals(f, "schoenfeld"),
  dfbeta = residuals(f, "dfbeta"),
  curve = {
    s <- survfit(f, newdata = data.frame(age = 60, sex = 2, ph.ecog = 1), censor = FALSE)
    list(z = arr(c(60, 2, 1)), time = arr(s$time), cumhaz = arr(s$cumhaz), surv = arr(s$surv), std_err = arr(s$std.err))
  }
))
for (tr in c("km", "rank", "identity")) zph[[paste0("lung_efron_", tr)]] <- zphinfo(cox.zph(f, transform = tr))

f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, ties = "breslow", control = ctl)
fits$lung_breslow <- fitinfo(f, "coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, ties = 'breslow', control = ctl)")
zph$lung_breslow_km <- zphinfo(cox.zph(f))

# strata(inst): one row has a missing inst and is dropped as well
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(inst), data = lung2, control = ctl)
fits$lung_strata <- fitinfo(f, "coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(inst), lung, control = ctl)")
zph$lung_strata_km <- zphinfo(cox.zph(f))

# cluster(inst): robust sandwich by institution (robust defaults to TRUE)
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog + cluster(inst), data = lung2, control = ctl)
fits$lung_cluster <- fitinfo(f, "coxph(Surv(time, status) ~ age + sex + ph.ecog + cluster(inst), lung, control = ctl)")

# non-integer case weights: robust defaults to TRUE (each row its own cluster)
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, weights = wt, control = ctl)
fits$lung_weighted <- c(fitinfo(f, "coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, weights = wt, control = ctl)"),
  list(dfbeta = residuals(f, "dfbeta")))
f <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, weights = wt, ties = "breslow", control = ctl)
fits$lung_weighted_breslow <- fitinfo(f, "coxph(..., lung, weights = wt, ties = 'breslow', control = ctl)")

# veteran: trt + karno + celltype (3 dummies, not centred as 0/1 columns)
f <- coxph(Surv(time, status) ~ trt + karno + celltype, data = vet, control = ctl)
fits$veteran_efron <- fitinfo(f, "coxph(Surv(time, status) ~ trt + karno + celltype, veteran, control = ctl)")
for (tr in c("km", "rank", "identity")) zph[[paste0("veteran_efron_", tr)]] <- zphinfo(cox.zph(f, transform = tr))
f <- coxph(Surv(time, status) ~ trt + karno + celltype, data = vet, ties = "breslow", control = ctl)
fits$veteran_breslow <- fitinfo(f, "coxph(Surv(time, status) ~ trt + karno + celltype, veteran, ties = 'breslow', control = ctl)")

# heart: counting-process data
f <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = hrt, control = ctl)
fits$heart_efron <- c(fitinfo(f, "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, heart, control = ctl)"),
  list(martingale = residuals(f, "martingale"), score_resid = residuals(f, "score")))
zph$heart_efron_km <- zphinfo(cox.zph(f))
zph$heart_efron_rank <- zphinfo(cox.zph(f, transform = "rank"))
f <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), data = hrt, control = ctl)
fits$heart_cluster <- fitinfo(f, "coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), heart, control = ctl)")

# ---------- concordance ----------
conc <- function(cf, call) list(call = call, count = arr(if (is.matrix(cf$count)) colSums(cf$count) else cf$count), concordance = cf$concordance, std = sqrt(cf$var))
concs <- list(
  lung_age = conc(concordance(Surv(time, status) ~ age, data = lung2), "concordance(Surv(time, status) ~ age, lung)"),
  lung_ecog_weighted_cluster = conc(
    concordance(Surv(time, status) ~ ph.ecog, data = lung2, weights = wt, cluster = inst, reverse = TRUE),
    "concordance(Surv(time, status) ~ ph.ecog, lung, weights = wt, cluster = inst, reverse = TRUE)"
  ),
  lung_age_strata = conc(
    concordance(Surv(time, status) ~ age + strata(sex), data = lung2),
    "concordance(Surv(time, status) ~ age + strata(sex), lung)"
  ),
  heart_age = conc(concordance(Surv(start, stop, event) ~ age, data = hrt), "concordance(Surv(start, stop, event) ~ age, heart)")
)

# ---------- Fine-Gray on mgus2: progression (pcm, event 1) vs death (event 2) ----------
mg$ev <- factor(mg$event, 0:2, labels = c("censor", "pcm", "death"))
pdata <- finegray(Surv(etime, ev) ~ ., data = mg)
fg <- list(
  expanded = list(
    nrow = nrow(pdata),
    sum_wt = sum(pdata$fgwt),
    sum_start = sum(pdata$fgstart),
    sum_stop = sum(pdata$fgstop),
    sum_wt_stop = sum(pdata$fgwt * pdata$fgstop),
    n_status1 = sum(pdata$fgstatus),
    head = list(id = arr(pdata$id[1:40]), fgstart = arr(pdata$fgstart[1:40]), fgstop = arr(pdata$fgstop[1:40]),
      fgstatus = arr(pdata$fgstatus[1:40]), fgwt = arr(pdata$fgwt[1:40]))
  )
)
f <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = pdata, control = ctl)
fg$efron_rows <- fitinfo(f, "coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = finegray(Surv(etime, ev) ~ ., mgus2), control = ctl)")
f <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = pdata, cluster = id, control = ctl)
fg$efron_subject <- fitinfo(f, "... cluster = id")
f <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = pdata, ties = "breslow", control = ctl)
fg$breslow_rows <- fitinfo(f, "... ties = 'breslow'")
f <- coxph(Surv(fgstart, fgstop, fgstatus) ~ age + male, weights = fgwt, data = pdata, ties = "breslow", cluster = id, control = ctl)
fg$breslow_subject <- fitinfo(f, "... ties = 'breslow', cluster = id")
cr <- crr(mg$etime, mg$event, cov1 = cbind(age = mg$age, male = mg$male), failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 100)
fg$crr <- list(call = "crr(etime, event, cov1 = cbind(age, male), failcode = 1, gtol = 1e-12, maxiter = 100)",
  coef = arr(cr$coef), var = cr$var, converged = cr$converged)
cr0 <- crr(mg$etime, mg$event, cov1 = cbind(age = mg$age, male = mg$male))
fg$crr_default <- list(call = "crr(etime, event, cov1 = cbind(age, male))  # gtol = 1e-6, maxiter = 10",
  coef = arr(cr0$coef), var = cr0$var)

out <- list(
  generated_by = "make-cox.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  cmprsk_version = as.character(packageVersion("cmprsk")),
  control = "coxph.control(eps = 1e-12, iter.max = 100)",
  notes = "lung status recoded 0/1; lung wt = 0.5 + ((row * 7) %% 11) / 10; veteran celltype dummies smallcell/adeno/large (reference squamous); heart transplant as 0/1; mgus2 etime = ptime if progression else futime, event = 1 progression, 2 death, 0 censored; male = sex == 'M'. Per-observation vectors are in data order with NA for dropped rows.",
  data = list(
    lung = cols(lung2, c("inst", "time", "status", "age", "sex", "ph.ecog", "wt")),
    veteran = cols(vet, c("time", "status", "trt", "karno", "smallcell", "adeno", "large")),
    heart = cols(hrt, c("start", "stop", "event", "age", "year", "surgery", "transplant", "id")),
    mgus2 = cols(mg, c("id", "age", "male", "etime", "event"))
  ),
  fits = fits,
  zph = zph,
  concordance = concs,
  finegray = fg
)
here <- tryCatch(dirname(normalizePath(sys.frame(1)$ofile)), error = function(e) ".")
args <- commandArgs(trailingOnly = FALSE)
fa <- sub("^--file=", "", args[grepl("^--file=", args)])
if (length(fa) == 1) here <- dirname(normalizePath(fa))
writeLines(to_json(out), file.path(here, "cox.json"))
cat("wrote", file.path(here, "cox.json"), "\n")
