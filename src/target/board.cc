#include "target/board.h"

namespace tierml::target {

const std::vector<Board>& boards() {
  static const std::vector<Board> kBoards = {
      {"cortex-m4",
       "mps2-an386",
       {"-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"},
       0x40028018u,
       0x40028014u,
       25000000u,
       4u << 20,
       4u << 20},
      {"cortex-m7",
       "mps2-an500",
       {"-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard"},
       0x40028018u,
       0x40028014u,
       25000000u,
       4u << 20,
       4u << 20},
      // Secure aliases: the core boots secure and the firmware stays there.
      {"cortex-m33",
       "mps2-an505",
       {"-mcpu=cortex-m33", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"},
       0x50302018u,
       0x50302014u,
       20000000u,
       4u << 20,
       4u << 20},
      {"cortex-m55",
       "mps3-an547",
       {"-mcpu=cortex-m55", "-mfloat-abi=hard"},
       0x59302018u,
       0x59302014u,
       20000000u,
       512u << 10,
       512u << 10},
  };
  return kBoards;
}

Expected<Board> find_board(const std::string& target) {
  std::string known;
  for (const Board& board : boards()) {
    if (board.target == target) return board;
    known += (known.empty() ? "" : ", ") + board.target;
  }
  return invalid_argument("unknown target '" + target + "' (known: " + known +
                          ")");
}

}  // namespace tierml::target
