/* Status codes shared by every device-side function. Device code never
 * throws or aborts: it returns one of these and, where a context exists,
 * leaves a message describing what is wrong and where. */
#ifndef TIERML_STATUS_H_
#define TIERML_STATUS_H_

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmOk = 0,
  kTmErrorMalformedModel = 1,   /* the blob is not a valid .tflite file */
  kTmErrorUnsupported = 2,      /* valid, but an operator/option we do not run */
  kTmErrorArenaTooSmall = 3,    /* caller's arena cannot hold the plan */
  kTmErrorBadArgument = 4,      /* wrong tensor index, size or type from the caller */
  kTmErrorNotReady = 5,         /* invoke before a successful init */
} TmStatus;

#ifdef __cplusplus
}
#endif

#endif /* TIERML_STATUS_H_ */
