# End-to-end tests of `tierml serve`: the real server on a free loopback port
# with a temporary model repository written by serve_test_models.
add_executable(serve_test_models ${CMAKE_CURRENT_LIST_DIR}/serve_test_models.cc)
target_link_libraries(serve_test_models PRIVATE tierml_examples)
set_target_properties(serve_test_models PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)

foreach(name api batching event_loop reload sklearn)
  add_test(NAME e2e_serve_${name}
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/serve_${name}_test.sh $<TARGET_FILE:tierml>
            $<TARGET_FILE:serve_test_models>)
  set_tests_properties(e2e_serve_${name} PROPERTIES LABELS e2e SKIP_RETURN_CODE 77
                       TIMEOUT 180)
endforeach()
