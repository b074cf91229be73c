#include "advise/cost_model.h"

#include <algorithm>
#include <cmath>

namespace tierml::advise {

double air_time_s(const Radio& radio, double payload_bytes) {
  const double bytes = payload_bytes + radio.overhead_bytes;
  if (!radio.lora) return bytes * 8.0 / radio.bitrate_bps;
  const LoraDataRate& dr = *radio.lora;
  const double sf = dr.spreading_factor;
  const double symbol_s = std::pow(2.0, sf) / (dr.bandwidth_khz * 1000.0);
  const bool low_rate_opt = dr.bandwidth_khz <= 125 && dr.spreading_factor >= 11;
  const double de = low_rate_opt ? 1 : 0;
  const double preamble_symbols = 8 + 4.25;
  // Payload symbols: 8 + max(ceil((8PL - 4SF + 28 + 16CRC - 20IH) /
  // (4(SF - 2DE))) (CR + 4), 0) with explicit header (IH = 0), CRC on.
  const double numerator = 8 * bytes - 4 * sf + 28 + 16;
  const double payload_symbols =
      8 + std::max(std::ceil(numerator / (4 * (sf - 2 * de))) * (dr.coding_rate + 4), 0.0);
  return (preamble_symbols + payload_symbols) * symbol_s;
}

double messages_for(const Radio& radio, double bytes) {
  if (radio.payload_limit_bytes <= 0 || bytes <= radio.payload_limit_bytes) return 1;
  return std::ceil(bytes / radio.payload_limit_bytes);
}

double send_energy_j(const Radio& radio, double bytes) {
  const double messages = messages_for(radio, bytes);
  const double per_message = bytes / messages;
  const double tx_j = air_time_s(radio, per_message) * radio.tx_ma * 1e-3 * radio.supply_v;
  return messages * (radio.wake_mj * 1e-3 + tx_j);
}

double uplink_latency_ms(const Radio& radio, double bytes) {
  const double messages = messages_for(radio, bytes);
  const double air = air_time_s(radio, bytes / messages);
  // After each fragment the duty-cycle rule silences the radio for
  // air * (1/duty - 1) before the next one.
  const double wait = (messages - 1) * air * (1.0 / radio.duty_cycle - 1.0);
  return (messages * air + wait) * 1000.0;
}

double daily_air_time_budget_s(const Radio& radio) {
  return radio.duty_cycle * kSecondsPerDay;
}

double macs_per_cycle(const Board& board, Engine engine) {
  return engine == Engine::kCompiled ? board.macs_per_cycle_compiled
                                     : board.macs_per_cycle_interpreter;
}

const MeasuredRun* measured_run(const ModelFigures& model, Engine engine) {
  const auto& run =
      engine == Engine::kCompiled ? model.measured_compiled : model.measured_interpreter;
  return run ? &*run : nullptr;
}

double cycles_per_instruction(const Board& board) {
  return kTflmCmsisMacsPerInstruction / board.macs_per_cycle_interpreter;
}

double device_inference_cycles(const Board& board, Engine engine, const ModelFigures& model) {
  if (const MeasuredRun* run = measured_run(model, engine))
    return run->instructions * cycles_per_instruction(board);
  return model.macs / macs_per_cycle(board, engine);
}

double device_inference_ms(const Board& board, Engine engine, const ModelFigures& model) {
  return device_inference_cycles(board, engine, model) / (board.clock_mhz * 1e6) * 1000.0;
}

double device_inference_energy_j(const Board& board, Engine engine, const ModelFigures& model) {
  // Run current scales with the clock, so energy per cycle is
  // (uA/MHz * 1e-6 A) * V / 1e6 Hz whatever the clock.
  return device_inference_cycles(board, engine, model) * board.run_ua_per_mhz * 1e-12 *
         board.supply_v;
}

double sleep_energy_per_day_j(const Board& board, const Radio* external_radio) {
  double watts = board.sleep_ua * 1e-6 * board.supply_v;
  if (external_radio)
    watts += external_radio->module_sleep_ua * 1e-6 * external_radio->supply_v;
  return watts * kSecondsPerDay;
}

double battery_energy_j(const Battery& battery) {
  return battery.capacity_mah * 1e-3 * 3600.0 * battery.voltage_v * battery.usable_fraction;
}

double battery_life_days(const Battery& battery, double energy_per_day_j) {
  const double self_discharge_per_day_j =
      battery.capacity_mah * 1e-3 * 3600.0 * battery.voltage_v *
      battery.self_discharge_per_year / 365.0;
  const double drain = energy_per_day_j + self_discharge_per_day_j;
  if (drain <= 0) return INFINITY;
  return battery_energy_j(battery) / drain;
}

double host_macs_per_second() {
  // TFLM with CMSIS-NN's portable kernels runs KWS (2.66 M MACs) in 1.06 ms
  // on the benchmark machine (../shared/baselines/tflm_host_x86.json): the
  // conservative figure until tierml's own host benchmark replaces it.
  return 2.66e6 / 1.06e-3;
}

double host_inference_ms(double macs, double throughput_scale) {
  return macs / (host_macs_per_second() * throughput_scale) * 1000.0;
}

double serverless_usd_per_month(const Cloud& cloud, double requests_per_month,
                                double host_ms_per_request) {
  // Serverless bills at least 1 ms per request.
  const double billed_s = std::max(host_ms_per_request, 1.0) / 1000.0;
  return requests_per_month * (cloud.serverless_usd_per_million_requests / 1e6 +
                               billed_s * cloud.serverless_memory_gb *
                                   cloud.serverless_usd_per_gb_second);
}

double messaging_usd_per_month(const Cloud& cloud, double messages_per_month) {
  return messages_per_month * cloud.iot_messaging_usd_per_million / 1e6;
}

}  // namespace tierml::advise
