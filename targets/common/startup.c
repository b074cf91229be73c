/* Reset and fault handling for every board: copies .data from flash, zeroes
 * .bss, turns the FPU on (where there is one), runs main and hands its status
 * to QEMU through semihosting. The linker script of each board
 * (targets/<board>/memory.ld + common/sections.ld) defines the symbols. */
#include <stdint.h>
#include <string.h>

#include "semihosting.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __measure_start[], __measure_end[];
extern uint32_t __stack_top[];
extern void (*const __init_array_start[])(void);
extern void (*const __init_array_end[])(void);

int main(void);

/* Exit code for a fault (profile_support.h has the others). */
#define TM_EXIT_FAULT 120

static void fault_handler(void) {
  sh_write0("tierml-fault: hard fault\n");
  sh_exit(TM_EXIT_FAULT);
}

static void reset_handler(void) {
  memcpy(__data_start, __data_load,
         (size_t)((char*)__data_end - (char*)__data_start));
  memset(__bss_start, 0, (size_t)((char*)__bss_end - (char*)__bss_start));
  memset(__measure_start, 0,
         (size_t)((char*)__measure_end - (char*)__measure_start));
#if defined(__ARM_FP)
  /* CPACR: full access to CP10 and CP11 (the FPU). */
  volatile uint32_t* cpacr = (volatile uint32_t*)0xE000ED88u;
  *cpacr |= (0xFu << 20);
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  for (void (*const* ctor)(void) = __init_array_start; ctor < __init_array_end;
       ++ctor) {
    (*ctor)();
  }
  sh_exit(main());
}

/* Initial stack pointer, reset, NMI, hard fault, then the other system
 * exceptions up to SysTick, all treated as a fault. A union, because ISO C
 * has no conversion between object and function pointers. */
typedef union {
  uint32_t* stack_top;
  void (*handler)(void);
} TmVector;

__attribute__((section(".vectors"), used)) const TmVector tm_vectors[16] = {
    {.stack_top = __stack_top},
    {.handler = reset_handler},
    {.handler = fault_handler},
    {.handler = fault_handler},
    {.handler = fault_handler},
    {.handler = fault_handler},
    {.handler = fault_handler},
    {.handler = 0},
    {.handler = 0},
    {.handler = 0},
    {.handler = 0},
    {.handler = fault_handler},
    {.handler = fault_handler},
    {.handler = 0},
    {.handler = fault_handler},
    {.handler = fault_handler},
};
