// GOV.UK Frontend styles its components differently once JavaScript runs.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
