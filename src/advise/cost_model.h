// The physics and prices behind every criterion: air time, energy per
// message and per inference, battery life, cloud bills. Pure functions of
// catalog entries, so tests can check each against a hand calculation.
#ifndef TIERML_ADVISE_COST_MODEL_H_
#define TIERML_ADVISE_COST_MODEL_H_

#include "advise/catalog.h"
#include "advise/scenario.h"

namespace tierml::advise {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kDaysPerMonth = 30.0;

// Time on air of one uplink message carrying payload_bytes application bytes
// (LoRa: Semtech's time-on-air formula, explicit header, CRC on, low data
// rate optimisation for SF11/12 at 125 kHz, 8-symbol preamble).
double air_time_s(const Radio& radio, double payload_bytes);

// Messages needed to carry bytes given the radio's payload limit (at least 1).
double messages_for(const Radio& radio, double bytes);

// Energy of sending bytes as one or more uplink messages, in joules.
double send_energy_j(const Radio& radio, double bytes);

// Latency of getting bytes to the first hop, including duty-cycle waits
// between fragments, in milliseconds.
double uplink_latency_ms(const Radio& radio, double bytes);

// Longest a radio may transmit per day under its duty-cycle rule, seconds.
double daily_air_time_budget_s(const Radio& radio);

enum class Engine { kInterpreter, kCompiled };

double macs_per_cycle(const Board& board, Engine engine);
// What `tierml profile` measured for the model on this engine, if anything.
const MeasuredRun* measured_run(const ModelFigures& model, Engine engine);
// Core cycles per executed instruction, as the board's calibration implies:
// TFLM with CMSIS-NN executes kTflmCmsisMacsPerInstruction on Cortex-M4
// (../shared/baselines), and the board's interpreter figure is that code's
// MACs per cycle.
constexpr double kTflmCmsisMacsPerInstruction = 2.66e6 / 7.70e6;
double cycles_per_instruction(const Board& board);
// Core cycles of one inference: measured instructions times cycles per
// instruction, else MACs over the engine's calibrated MACs per cycle.
double device_inference_cycles(const Board& board, Engine engine, const ModelFigures& model);
// Time and energy of one inference on the MCU.
double device_inference_ms(const Board& board, Engine engine, const ModelFigures& model);
double device_inference_energy_j(const Board& board, Engine engine, const ModelFigures& model);
// Energy of the MCU asleep (plus an external radio module asleep) for a day.
double sleep_energy_per_day_j(const Board& board, const Radio* external_radio);

// Days a battery lasts at energy_per_day_j, counting self-discharge and the
// usable fraction of its capacity.
double battery_life_days(const Battery& battery, double energy_per_day_j);
double battery_energy_j(const Battery& battery);

// Host engine compute time for macs on a machine with throughput_scale
// relative to the benchmark machine.
double host_inference_ms(double macs, double throughput_scale);
// MACs per second of tierml's host engine on the benchmark machine.
double host_macs_per_second();

// Cloud: monthly bill for `requests` inferences of host_ms each, and for
// `messages` IoT messages.
double serverless_usd_per_month(const Cloud& cloud, double requests_per_month,
                                double host_ms_per_request);
double messaging_usd_per_month(const Cloud& cloud, double messages_per_month);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_COST_MODEL_H_
