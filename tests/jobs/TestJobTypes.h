#pragma once

// Job types that exist only in the job tests, registered like the built-in ones: they hold
// until released or cancelled, report progress as often as asked, fail, or throw, so the
// engine's promises can be checked without depending on how long real work takes.
//
//   test_hold {}                       progress 10, then waits for the gate or a cancel
//   test_chatty {reports, milliseconds} reports `reports` times spread over `milliseconds`
//   test_fail {}                       fails with "deliberate failure"
//   test_throw {}                      throws std::runtime_error

namespace switchboard::test {

// Releases every test_hold job running now or later, until closed again.
void openHoldGate();
void closeHoldGate();

} // namespace switchboard::test
