package dev.paddock.request;

import dev.paddock.api.Code;

/** A request the leader refuses; carried as a value into an error txn, never across actors. */
final class PrepFailure extends Exception {
  final Code code;

  PrepFailure(Code code) {
    super(code.name(), null, false, false);
    this.code = code;
  }
}
